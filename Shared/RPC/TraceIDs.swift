import Synchronization

/// Makes trace ids: a random prefix per process and a counter.
enum TraceIDs {
    /// 16 random hex digits chosen at start-up.
    static let processPrefix: String = {
        let value = UInt64.random(in: .min ... .max)
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }()

    private static let counter = Atomic<UInt64>(0)

    /// A new trace id.
    static func make() -> String {
        let next = counter.wrappingAdd(1, ordering: .relaxed).newValue
        return "\(processPrefix)-0-\(String(next, radix: 16))"
    }
}
