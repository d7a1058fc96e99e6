// swift-tools-version:6.1
import PackageDescription

// libFuzzer targets for what reads untrusted bytes (docs/reliability.md). A separate package: it
// is built with `swift build --sanitize=fuzzer --sanitize=address` (scripts/fuzz), which
// instruments every module it uses, and the main build should not pay for that.
let package = Package(
    name: "MentorNetFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "MentorNet", path: ".."),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    ],
    targets: [
        // No `main`: libFuzzer's is linked in by --sanitize=fuzzer; the target is chosen at run
        // time with MENTORNET_FUZZ_TARGET.
        .executableTarget(
            name: "mentornet-fuzz",
            dependencies: [
                .product(name: "Wire", package: "MentorNet"),
                .product(name: "ProtoJSON", package: "MentorNet"),
                .product(name: "HTTPMapping", package: "MentorNet"),
                .product(name: "RPC", package: "MentorNet"),
                .product(name: "ProfilesV1", package: "MentorNet"),
                .product(name: "MatchingV1", package: "MentorNet"),
                .product(name: "SessionsV1", package: "MentorNet"),
                .product(name: "NotificationsV1", package: "MentorNet"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            path: "Sources/MentorNetFuzz",
            swiftSettings: [.swiftLanguageMode(.v6), .unsafeFlags(["-parse-as-library"])],
            linkerSettings: [.unsafeFlags(["-use-ld=lld"])]
        )
    ]
)
