// swift-tools-version:6.1
import PackageDescription

// `protoc-gen-mentornet`: the protoc plugin that writes MentorNet's Swift from proto/ (see
// docs/development.md). A package of its own so that building the services never builds it.
let package = Package(
    name: "ProtoGen",
    platforms: [.macOS(.v15)],
    products: [.executable(name: "protoc-gen-mentornet", targets: ["ProtoGen"])],
    dependencies: [.package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0")],
    targets: [
        .executableTarget(
            name: "ProtoGen",
            dependencies: [.product(name: "SwiftProtobufPluginLibrary", package: "swift-protobuf")],
            path: "Sources/ProtoGen",
            swiftSettings: [.swiftLanguageMode(.v6), .enableUpcomingFeature("ExistentialAny")]
        )
    ]
)
