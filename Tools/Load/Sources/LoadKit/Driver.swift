import Synchronization

/// Offers load to a target according to a plan, recording into a recorder.
public enum Driver {
    /// Runs `plan` against `target`, picking operations from `scenario`; `progress` is called
    /// about once a second with the time spent measuring so far. Returns how long the measured
    /// part of the run lasted (from the end of the warm-up to the last measured completion).
    public static func run(
        _ plan: LoadPlan, scenario: Scenario, target: any LoadTarget, recorder: Recorder,
        progress: @escaping @Sendable (Duration) -> Void = { _ in }
    ) async -> Duration {
        let run = Run(plan: plan, scenario: scenario, target: target, recorder: recorder)
        let clock = ContinuousClock()
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                // The progress ticker stops with the run.
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(1))
                    let now = clock.now
                    if now > run.measureFrom { progress(now - run.measureFrom) }
                }
            }
            switch plan.mode {
            case .closed(let concurrency):
                await withTaskGroup(of: Void.self) { workers in
                    for _ in 0..<max(concurrency, 1) {
                        workers.addTask {
                            while let (index, measured) = run.claim(at: clock.now) {
                                await run.perform(index, measured: measured, from: clock.now)
                            }
                        }
                    }
                }
            case .open(let rate):
                await openLoop(run, clock: clock, steps: [RampStep(rate: rate, seconds: .infinity)])
            case .ramp(let steps):
                await openLoop(run, clock: clock, steps: steps)
            }
            group.cancelAll()
        }
        return run.measuredDuration
    }

    /// Sends on schedule: the rate of the step the intended time falls in (the first step's before
    /// measuring starts). Each request has its intended time on the schedule; when the sender falls
    /// behind — or `maximumInFlight` requests are outstanding — it sends as soon as it can, and the
    /// latency still counts from the schedule.
    private static func openLoop(_ run: Run, clock: ContinuousClock, steps: [RampStep]) async {
        // When each step ends, measured from the end of the warm-up.
        var ends: [Double] = []
        for step in steps { ends.append((ends.last ?? 0) + step.seconds) }
        func rate(at instant: ContinuousClock.Instant) -> Double {
            guard instant > run.measureFrom else { return steps[0].rate }
            let elapsed = instant - run.measureFrom
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            return steps[ends.firstIndex { seconds < $0 } ?? (steps.count - 1)].rate
        }
        let limit = max(run.plan.maximumInFlight, 1)
        await withTaskGroup(of: Void.self) { requests in
            // Requests started and not yet collected: finished ones are collected only when the
            // limit is reached, so at most `limit` are outstanding and at most `limit` kept.
            var started = 0
            var next = run.start
            while let (index, measured) = run.claim(at: next) {
                if next > clock.now { try? await Task.sleep(until: next) }
                if started >= limit {
                    await requests.next()
                    started -= 1
                }
                let intended = next
                requests.addTask { await run.perform(index, measured: measured, from: intended) }
                started += 1
                next = next + .seconds(1.0 / max(rate(at: next), 0.001))
            }
        }
    }

    /// One run's shared counters.
    private final class Run: Sendable {
        let plan: LoadPlan
        let scenario: Scenario
        let target: any LoadTarget
        let recorder: Recorder
        let start: ContinuousClock.Instant
        let measureFrom: ContinuousClock.Instant
        let end: ContinuousClock.Instant?
        /// Measured requests started.
        private let issued = Atomic<Int>(0)
        /// Every request started.
        private let counter = Atomic<Int>(0)
        /// The last measured completion.
        private let finish = Mutex<ContinuousClock.Instant?>(nil)

        init(plan: LoadPlan, scenario: Scenario, target: any LoadTarget, recorder: Recorder) {
            self.plan = plan
            self.scenario = scenario
            self.target = target
            self.recorder = recorder
            let start = ContinuousClock.now
            let measureFrom = start + plan.warmup
            self.start = start
            self.measureFrom = measureFrom
            end = plan.duration.map { measureFrom + $0 }
        }

        /// Claims the next request starting at `instant`, or nil when the run is over.
        func claim(at instant: ContinuousClock.Instant) -> (index: Int, measured: Bool)? {
            if let end, instant >= end { return nil }
            let measured = instant >= measureFrom
            if measured {
                let number = issued.wrappingAdd(1, ordering: .relaxed).newValue
                if let limit = plan.requests, number > limit { return nil }
                recorder.sent()
            }
            return (counter.wrappingAdd(1, ordering: .relaxed).oldValue, measured)
        }

        func perform(_ index: Int, measured: Bool, from intended: ContinuousClock.Instant) async {
            let drawn = scenario.pick(index)
            let sent = ContinuousClock.now
            let outcome = await target.perform(drawn, index: index)
            let done = ContinuousClock.now
            recorder.record(
                outcome.operation ?? drawn, outcome, latency: done - intended, serviceTime: done - sent,
                measured: measured)
            if measured { finish.withLock { $0 = max($0 ?? done, done) } }
        }

        var measuredDuration: Duration {
            let last = finish.withLock { $0 } ?? measureFrom
            return last > measureFrom ? last - measureFrom : .zero
        }
    }
}
