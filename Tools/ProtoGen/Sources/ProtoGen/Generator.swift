import SwiftProtobufPluginLibrary

/// The plugin: for each `.proto` protoc hands it, the file's messages and enums
/// (`<Module>/<name>.pb.swift`) and, when it declares services, their APIs
/// (`<Module>/<name>.rpc.swift`) and HTTP routes (`<Module>/<name>.http.swift`) and, outside the runtime's modules, their proto3 JSON mapping
/// (`<Module>/<name>.json.swift`), where `<Module>` is the Swift module the file's package maps to.
struct Generator: CodeGenerator {
    func generate(
        files: [FileDescriptor],
        parameter: any CodeGeneratorParameter,
        protoCompilerContext: any ProtoCompilerContext,
        generatorOutputs: any GeneratorOutputs
    ) throws {
        for file in files where Model.generatesSwift(file) {
            let module = try Model.module(of: file)
            let base = String(file.name.split(separator: "/").last!.dropLast(".proto".count))
            try generatorOutputs.add(
                fileName: "\(module)/\(base).pb.swift", contents: MessageEmitter(file: file, module: module).emit())
            if JSONEmitter.generatesJSON(module: module) {
                try generatorOutputs.add(
                    fileName: "\(module)/\(base).json.swift", contents: JSONEmitter(file: file, module: module).emit())
            }
            if try HTTPEmitter.hasRoutes(file, module: module) {
                try generatorOutputs.add(
                    fileName: "\(module)/\(base).http.swift", contents: HTTPEmitter(file: file, module: module).emit())
            }
            if !file.services.isEmpty {
                try generatorOutputs.add(
                    fileName: "\(module)/\(base).rpc.swift", contents: ServiceEmitter(file: file, module: module).emit()
                )
            }
        }
    }

    var supportedFeatures: [Google_Protobuf_Compiler_CodeGeneratorResponse.Feature] { [] }

    var version: String? { "1" }
}
