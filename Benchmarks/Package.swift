// swift-tools-version:6.1
import PackageDescription

// A separate package so the main build does not pay for grpc-swift-2 and its HTTP/2 stack.
let package = Package(
    name: "MentorNetBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "MentorNet", path: ".."),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/grpc/grpc-swift-2", from: "2.4.3"),
        .package(url: "https://github.com/grpc/grpc-swift-nio-transport", from: "2.9.2"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        .executableTarget(
            name: "bench-server",
            dependencies: [
                .product(name: "RPC", package: "MentorNet"),
                .product(name: "Wire", package: "MentorNet"),
                .product(name: "TestingV1", package: "MentorNet"),
                .product(name: "EchoService", package: "MentorNet"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
            ],
            path: "Sources/BenchServer",
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        .executableTarget(
            name: "bench-client",
            dependencies: [
                .product(name: "Wire", package: "MentorNet"),
                .product(name: "TestingV1", package: "MentorNet"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ],
            path: "Sources/BenchClient",
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        .executableTarget(
            name: "bench-http",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Sources/BenchHTTP",
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        .executableTarget(
            name: "bench-matching",
            dependencies: [
                .product(name: "MatchingEngine", package: "MentorNet"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Sources/BenchMatching",
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        .executableTarget(
            name: "bench-sessions",
            dependencies: [
                .product(name: "SessionsService", package: "MentorNet"),
                .product(name: "SessionsV1", package: "MentorNet"),
                .product(name: "MatchingV1", package: "MentorNet"),
                .product(name: "ProfilesV1", package: "MentorNet"),
                .product(name: "RPC", package: "MentorNet"),
                .product(name: "Wire", package: "MentorNet"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ],
            path: "Sources/BenchSessions",
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        .executableTarget(
            name: "bench-notifications",
            dependencies: [
                .product(name: "NotificationsService", package: "MentorNet"),
                .product(name: "NotificationsV1", package: "MentorNet"),
                .product(name: "SessionsV1", package: "MentorNet"),
                .product(name: "MatchingV1", package: "MentorNet"),
                .product(name: "ProfilesV1", package: "MentorNet"),
                .product(name: "RPC", package: "MentorNet"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ],
            path: "Sources/BenchNotifications",
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        .executableTarget(
            name: "bench-codec",
            dependencies: [
                .product(name: "Wire", package: "MentorNet"),
                .product(name: "TestingV1", package: "MentorNet"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            path: "Sources/BenchCodec",
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
    ]
)
