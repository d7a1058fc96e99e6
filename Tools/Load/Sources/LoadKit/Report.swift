import Foundation
import Histogram

/// A run's results: counts, throughput, latency percentiles (from the HdrHistogram), errors by
/// status and by operation, and the histogram itself, so runs can be compared later.
public struct Report: Codable, Sendable {
    /// Latency percentiles in milliseconds.
    public struct Latency: Codable, Sendable, Equatable {
        public var p50: Double
        public var p90: Double
        public var p99: Double
        public var p999: Double
        public var max: Double
        public var mean: Double

        init(_ histogram: Histogram<UInt64>) {
            func ms(_ micros: UInt64) -> Double { (Double(micros) / 1000 * 1000).rounded() / 1000 }
            let empty = histogram.totalCount == 0
            p50 = empty ? 0 : ms(histogram.valueAtPercentile(50))
            p90 = empty ? 0 : ms(histogram.valueAtPercentile(90))
            p99 = empty ? 0 : ms(histogram.valueAtPercentile(99))
            p999 = empty ? 0 : ms(histogram.valueAtPercentile(99.9))
            max = empty ? 0 : ms(histogram.max)
            mean = empty ? 0 : (histogram.mean / 1000 * 1000).rounded() / 1000
        }
    }

    /// One operation's figures.
    public struct Operation: Codable, Sendable, Equatable {
        public var succeeded: Int
        /// Of `succeeded`, those the service refused by its rules (no open slot, already matched).
        public var refused: Int
        public var failed: Int
        public var statuses: [String: Int]
        public var latency: Latency
    }

    public var target: String
    public var scenario: String
    /// `closed` or `open`.
    public var mode: String
    /// Closed loop: requests in flight.
    public var concurrency: Int?
    /// Open loop: the rate asked for, requests per second.
    public var targetRate: Double?
    /// Ramp: the steps asked for.
    public var ramp: [RampStep]?
    /// Requests completed per second of the measured window (for open loop, the rate achieved).
    public var throughput: Double
    public var warmupSeconds: Double
    public var measuredSeconds: Double
    /// Measured requests sent; always `succeeded + failed`.
    public var sent: Int
    public var succeeded: Int
    /// Of `succeeded`, answers in which the service said no by its rules (a mentor with no open
    /// slot, a pair already matched): correct answers, so not errors, but not the work asked for.
    public var refused: Int
    public var failed: Int
    /// Requests during the warm-up (not in any other figure).
    public var warmupRequests: Int
    public var errorRate: Double
    public var latency: Latency
    /// Failed requests by status.
    public var errorsByStatus: [String: Int]
    /// Latency by status, served and refused apart (absent from reports older than it).
    public var latencyByStatus: [String: Latency]?
    /// By status, from each request's actual send to its answer (for an open loop: without the
    /// client's backlog; for a closed loop the same as `latencyByStatus`).
    public var serviceTimeByStatus: [String: Latency]?
    public var operations: [String: Operation]
    /// Latency in microseconds.
    public var histogram: Histogram<UInt64>
    /// The live streams held open during the run (`--streams`), if any.
    public var streams: LiveStreams.Figures?

    /// The report of `snapshot` over `measured` time.
    public init(
        target: String, scenario: String, mode: LoadMode, warmup: Duration, measured: Duration,
        snapshot: Recorder.Snapshot
    ) {
        self.target = target
        self.scenario = scenario
        switch mode {
        case .closed(let concurrency):
            self.mode = "closed"
            self.concurrency = concurrency
        case .open(let rate):
            self.mode = "open"
            targetRate = rate
        case .ramp(let steps):
            self.mode = "ramp"
            ramp = steps
        }
        let seconds = Double(measured.components.seconds) + Double(measured.components.attoseconds) / 1e18
        measuredSeconds = (seconds * 1000).rounded() / 1000
        warmupSeconds = Double(warmup.components.seconds) + Double(warmup.components.attoseconds) / 1e18
        sent = snapshot.sent
        succeeded = snapshot.succeeded
        refused = snapshot.refused
        failed = snapshot.failed
        warmupRequests = snapshot.warmup
        throughput = seconds > 0 ? (Double(succeeded + failed) / seconds * 10).rounded() / 10 : 0
        errorRate = sent > 0 ? Double(failed) / Double(sent) : 0
        latency = Latency(snapshot.latency)
        histogram = snapshot.latency
        var errors: [String: Int] = [:]
        var operations: [String: Operation] = [:]
        for (name, figures) in snapshot.operations {
            operations[name] = Operation(
                succeeded: figures.succeeded, refused: figures.refused, failed: figures.failed,
                statuses: figures.statuses,
                latency: Latency(figures.latency))
        }
        for figures in snapshot.operations.values {
            for (status, count) in figures.errors { errors[status, default: 0] += count }
        }
        errorsByStatus = errors
        latencyByStatus = snapshot.latencyByStatus.mapValues(Latency.init)
        serviceTimeByStatus = snapshot.serviceTimeByStatus.mapValues(Latency.init)
        self.operations = operations
    }

    /// The report for people.
    public var text: String {
        func number(_ value: Double) -> String { String(format: "%.1f", value) }
        func ms(_ value: Double) -> String { String(format: "%.2f ms", value) }
        var lines: [String] = []
        let modeLine =
            switch mode {
            case "open":
                "open loop at \(number(targetRate ?? 0)) req/s (latency from each request's intended send time)"
            case "ramp":
                "open loop ramp "
                    + (ramp ?? []).map { "\(number($0.rate)) req/s for \(number($0.seconds)) s" }.joined(
                        separator: ", then ")
                    + " (latency from each request's intended send time)"
            default: "closed loop, \(concurrency ?? 0) in flight"
            }
        lines.append("target     \(target)")
        lines.append("scenario   \(scenario), \(modeLine)")
        lines.append(
            "measured   \(String(format: "%.3f", measuredSeconds)) s after a \(number(warmupSeconds)) s warm-up "
                + "(\(warmupRequests) warm-up requests left out)")
        lines.append(
            "requests   \(sent) sent, \(succeeded) succeeded, \(failed) failed (error rate \(String(format: "%.4f", errorRate)))"
        )
        if refused > 0 {
            lines.append(
                "refused    \(refused) of the succeeded were refused by the services' rules (no open slot, already matched, slot taken, not started)"
            )
        }
        lines.append("throughput \(number(throughput)) req/s")
        lines.append(
            "latency    p50 \(ms(latency.p50))  p90 \(ms(latency.p90))  p99 \(ms(latency.p99))  "
                + "p99.9 \(ms(latency.p999))  max \(ms(latency.max))")
        if !errorsByStatus.isEmpty {
            lines.append(
                "errors     "
                    + errorsByStatus.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(
                        separator: ", "))
        }
        if let byStatus = latencyByStatus, byStatus.count > 1 || mode != "closed" {
            lines.append(mode == "closed" ? "by status" : "by status (then from each request's actual send)")
            for (status, figures) in byStatus.sorted(by: { $0.key < $1.key }) {
                var line =
                    "  \(status.padding(toLength: 18, withPad: " ", startingAt: 0)) p50 \(ms(figures.p50)), "
                    + "p99 \(ms(figures.p99)), max \(ms(figures.max))"
                if mode != "closed", let sent = serviceTimeByStatus?[status] {
                    line += "; sent to answered p50 \(ms(sent.p50)), p99 \(ms(sent.p99))"
                }
                lines.append(line)
            }
        }
        if let streams {
            lines.append(
                "streams    \(streams.opened) of \(streams.asked) opened, \(streams.failed) failed, "
                    + "\(streams.events) events and \(streams.heartbeats) heartbeats received")
            if !streams.failures.isEmpty {
                lines.append(
                    "           failures: "
                        + streams.failures.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(
                            separator: ", "))
            }
        }
        lines.append("by operation")
        for (name, figures) in operations.sorted(by: { $0.key < $1.key }) {
            let refusedText = figures.refused > 0 ? " (\(figures.refused) refused)" : ""
            lines.append(
                "  \(name.padding(toLength: 18, withPad: " ", startingAt: 0)) \(figures.succeeded) ok\(refusedText), "
                    + "\(figures.failed) failed, p50 \(ms(figures.latency.p50)), p99 \(ms(figures.latency.p99))")
        }
        return lines.joined(separator: "\n")
    }
}
