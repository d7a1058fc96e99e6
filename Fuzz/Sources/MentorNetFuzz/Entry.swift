import Foundation

/// The target this process runs, from MENTORNET_FUZZ_TARGET (read once, before the first input).
nonisolated(unsafe) var selected: (@Sendable (UnsafeRawBufferPointer) -> Void)?

@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>)
    -> CInt
{
    let name = ProcessInfo.processInfo.environment["MENTORNET_FUZZ_TARGET"] ?? ""
    guard let target = Targets.all[name] else {
        FileHandle.standardError.write(
            Data("set MENTORNET_FUZZ_TARGET to one of: \(Targets.all.keys.sorted().joined(separator: ", "))\n".utf8))
        exit(2)
    }
    selected = target
    _ = Targets.methods  // built before the first input is timed
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    selected?(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}
