/// How load is offered: a fixed number of requests in flight (closed loop), or a constant rate
/// whatever the target does (open loop, wrk2-style: latency counts from each request's intended
/// send time, so a stall is not hidden by the requests it delayed).
public enum LoadMode: Sendable, Equatable, Codable {
    /// `concurrency` requests in flight at all times.
    case closed(concurrency: Int)
    /// `rate` requests per second, on schedule.
    case open(rate: Double)
    /// Open loop whose rate changes in steps: each step's rate for its duration, one after another
    /// (the warm-up runs at the first step's rate).
    case ramp(steps: [RampStep])
}

/// One step of a ramp: a rate held for a time.
public struct RampStep: Sendable, Equatable, Codable {
    /// Requests per second.
    public var rate: Double
    /// How long.
    public var seconds: Double

    /// A step.
    public init(rate: Double, seconds: Double) {
        self.rate = rate
        self.seconds = seconds
    }

    /// Reads `RATE:SECONDS,RATE:SECONDS,…` (e.g. `100:10,200:10,400:10`); nil when malformed.
    public static func parse(_ text: String) -> [RampStep]? {
        var steps: [RampStep] = []
        for part in text.split(separator: ",") {
            let fields = part.split(separator: ":")
            guard fields.count == 2, let rate = Double(fields[0]), let seconds = Double(fields[1]), rate > 0,
                seconds > 0
            else { return nil }
            steps.append(RampStep(rate: rate, seconds: seconds))
        }
        return steps.isEmpty ? nil : steps
    }
}

/// A run: the mode, how long or how many, and the warm-up left out of the figures.
public struct LoadPlan: Sendable {
    /// Closed or open loop.
    public var mode: LoadMode
    /// The measured time (after the warm-up); nil when `requests` bounds the run.
    public var duration: Duration?
    /// The measured requests; nil when `duration` bounds the run.
    public var requests: Int?
    /// Time before measuring starts.
    public var warmup: Duration
    /// Open loop: at most this many requests outstanding. When the target falls that far behind,
    /// the next request waits for one to finish, and its latency still counts from its intended
    /// time — so the figures show the delay, and the client's own memory and queues stay bounded
    /// however slow the target (without it, a flood buries the client before the target).
    public var maximumInFlight: Int

    /// Requests outstanding at most in an open loop unless told otherwise.
    public static let defaultMaximumInFlight = 10_000

    /// A plan; give `duration`, `requests` or both (the first reached ends the run).
    public init(
        mode: LoadMode, duration: Duration?, requests: Int?, warmup: Duration,
        maximumInFlight: Int = defaultMaximumInFlight
    ) {
        self.mode = mode
        self.duration = duration
        self.requests = requests
        self.warmup = warmup
        self.maximumInFlight = maximumInFlight
    }
}

/// What one request came to: a status (`200`, `404`, `OK`, `UNAVAILABLE`, `connect failed`…) and
/// whether it counts as a success.
public struct Outcome: Sendable, Equatable {
    /// The status, as the protocol names it.
    public var status: String
    /// Whether the request succeeded.
    public var succeeded: Bool
    /// A success in which the service correctly said no by its rules (a mentor with no open slot,
    /// a pair already matched): counted with the successes, and apart from them in the report.
    public var refused: Bool
    /// The operation actually performed, when the target had to perform another than the one
    /// drawn (e.g. no proposal was waiting to be accepted, so it proposed one); nil otherwise.
    public var operation: String?

    /// An outcome.
    public init(status: String, succeeded: Bool, refused: Bool = false, operation: String? = nil) {
        self.status = status
        self.succeeded = succeeded
        self.refused = refused && succeeded
        self.operation = operation
    }
}

/// Something load can be offered to: it performs a named operation.
public protocol LoadTarget: Sendable {
    /// Performs `operation`; `index` is the request's number in the run (to vary inputs).
    func perform(_ operation: String, index: Int) async -> Outcome
}

/// A weighted mix of operations: every `pick` draws one by weight, reproducibly by index.
public struct Scenario: Sendable {
    /// The scenario's name.
    public var name: String
    /// Operations and their weights.
    public var weights: [(operation: String, weight: Int)]

    /// A scenario.
    public init(name: String, weights: [(operation: String, weight: Int)]) {
        self.name = name
        self.weights = weights
    }

    /// The operation of request `index` (a hash of the index spreads the mix evenly).
    public func pick(_ index: Int) -> String {
        let total = weights.reduce(0) { $0 + $1.weight }
        var draw =
            Int(truncatingIfNeeded: UInt64(truncatingIfNeeded: index &* -7_046_029_254_386_353_131) >> 33)
            % max(total, 1)
        for entry in weights {
            if draw < entry.weight { return entry.operation }
            draw -= entry.weight
        }
        return weights[0].operation
    }
}
