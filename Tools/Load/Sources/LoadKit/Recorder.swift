import Histogram
import Synchronization

/// Collects outcomes and latencies (microseconds, in HdrHistograms) of the measured requests;
/// requests sent during the warm-up are counted apart and left out of every figure.
public final class Recorder: Sendable {
    /// Per-operation figures.
    public struct OperationFigures: Sendable {
        public var succeeded = 0
        /// Of `succeeded`, those the service refused by its rules.
        public var refused = 0
        public var failed = 0
        public var statuses: [String: Int] = [:]
        public var errors: [String: Int] = [:]
        public var latency = Histogram<UInt64>(
            highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: .three)
    }

    /// A consistent copy of everything recorded so far.
    public struct Snapshot: Sendable {
        public var sent = 0
        public var succeeded = 0
        /// Of `succeeded`, those the service refused by its rules.
        public var refused = 0
        public var failed = 0
        public var warmup = 0
        public var latency = Histogram<UInt64>(
            highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: .three)
        public var operations: [String: OperationFigures] = [:]
        /// Latency by status (`200`, `503`, `UNAVAILABLE`, a connection error), so that what was
        /// served and what was refused can be told apart.
        public var latencyByStatus: [String: Histogram<UInt64>] = [:]
        /// By status, the time from when each request was actually sent to its answer: in an open
        /// loop that has fallen behind, what the target took, without the client's own backlog.
        public var serviceTimeByStatus: [String: Histogram<UInt64>] = [:]

        /// The 99th percentile so far, in milliseconds (0 before any measured request).
        public var p99Milliseconds: Double {
            latency.totalCount == 0 ? 0 : Double(latency.valueAtPercentile(99)) / 1000
        }
    }

    private let state = Mutex(Snapshot())

    /// A recorder.
    public init() {}

    /// Counts a request as sent (measured ones only).
    func sent() {
        state.withLock { $0.sent += 1 }
    }

    /// Records a finished request; `measured` false for the warm-up.
    func record(
        _ operation: String, _ outcome: Outcome, latency: Duration, serviceTime: Duration? = nil, measured: Bool
    ) {
        func micros(_ duration: Duration) -> UInt64 {
            UInt64(
                max(0, duration.components.seconds * 1_000_000 + duration.components.attoseconds / 1_000_000_000_000))
        }
        let served = micros(serviceTime ?? latency)
        let micros = micros(latency)
        state.withLock { state in
            guard measured else {
                state.warmup += 1
                return
            }
            _ = state.latency.record(micros)
            var figures = state.operations[operation] ?? OperationFigures()
            _ = figures.latency.record(micros)
            _ = state.latencyByStatus[
                outcome.status,
                default: Histogram<UInt64>(highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: .three)
            ].record(micros)
            _ = state.serviceTimeByStatus[
                outcome.status,
                default: Histogram<UInt64>(highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: .three)
            ].record(served)
            figures.statuses[outcome.status, default: 0] += 1
            if outcome.succeeded {
                state.succeeded += 1
                figures.succeeded += 1
                if outcome.refused {
                    state.refused += 1
                    figures.refused += 1
                }
            } else {
                state.failed += 1
                figures.failed += 1
                figures.errors[outcome.status, default: 0] += 1
            }
            state.operations[operation] = figures
        }
    }

    /// Everything so far.
    public func snapshot() -> Snapshot {
        state.withLock { $0 }
    }
}
