import Foundation
import Histogram
import LoadKit
import Synchronization
import Testing

/// A fake service: each request takes `work`, one at a time (like a single-threaded server), and
/// from `stallAt` for `stallFor` it answers nothing at all.
actor SerialService {
    let work: Duration
    let stallAt: ContinuousClock.Instant?
    let stallFor: Duration
    var served = 0

    init(work: Duration, stallAt: ContinuousClock.Instant? = nil, stallFor: Duration = .zero) {
        self.work = work
        self.stallAt = stallAt
        self.stallFor = stallFor
    }

    func serve(failEvery: Int) async -> Outcome {
        let now = ContinuousClock.now
        if let stallAt, now >= stallAt, now < stallAt + stallFor {
            // The whole service stops answering until the stall is over (requests queue behind it).
            while ContinuousClock.now < stallAt + stallFor { try? await Task.sleep(until: stallAt + stallFor) }
        }
        try? await Task.sleep(for: work)
        served += 1
        return failEvery > 0 && served % failEvery == 0
            ? Outcome(status: "503", succeeded: false) : Outcome(status: "200", succeeded: true)
    }
}

struct FakeTarget: LoadTarget {
    let service: SerialService
    var failEvery = 0

    func perform(_ operation: String, index: Int) async -> Outcome {
        await service.serve(failEvery: failEvery)
    }
}

@Suite("load generation and reports")
struct DriverTests {
    let scenario = Scenario(name: "mix", weights: [("read", 3), ("write", 1)])

    @Test("closed loop: exactly --requests are measured, sent = succeeded + failed, the warm-up is left out")
    func closedLoop() async throws {
        let recorder = Recorder()
        let service = SerialService(work: .microseconds(200))
        let target = FakeTarget(service: service, failEvery: 10)
        let plan = LoadPlan(mode: .closed(concurrency: 8), duration: nil, requests: 300, warmup: .milliseconds(200))
        let measured = await Driver.run(plan, scenario: scenario, target: target, recorder: recorder)
        let report = Report(
            target: "fake", scenario: "mix", mode: plan.mode, warmup: plan.warmup, measured: measured,
            snapshot: recorder.snapshot())
        #expect(report.sent == 300)
        #expect(report.sent == report.succeeded + report.failed)
        #expect(report.failed > 0 && report.errorsByStatus == ["503": report.failed])
        // Served and refused have their latencies apart.
        let byStatus = try #require(report.latencyByStatus)
        #expect(byStatus.keys.sorted() == ["200", "503"])
        #expect(report.text.contains("by status"))
        // Every request the service served is either measured or a warm-up one, never both.
        #expect(await service.served == report.sent + report.warmupRequests)
        #expect(report.operations.keys.sorted() == ["read", "write"])
        #expect(report.operations.values.reduce(0) { $0 + $1.succeeded + $1.failed } == 300)
        #expect(report.histogram.totalCount == 300)
        #expect(report.latency.p50 <= report.latency.p99 && report.latency.p99 <= report.latency.max)
    }

    @Test("open loop against a stalled service: latencies include the stall, and the rate achieved is what it was")
    func coordinatedOmission() async throws {
        let recorder = Recorder()
        // 200 requests per second for 2 s; the service stalls 400 ms after 0.5 s.
        let service = SerialService(
            work: .milliseconds(1), stallAt: ContinuousClock.now + .milliseconds(500), stallFor: .milliseconds(400))
        let plan = LoadPlan(mode: .open(rate: 200), duration: .seconds(2), requests: nil, warmup: .zero)
        let measured = await Driver.run(
            plan, scenario: scenario, target: FakeTarget(service: service), recorder: recorder)
        let report = Report(
            target: "fake", scenario: "mix", mode: plan.mode, warmup: .zero, measured: measured,
            snapshot: recorder.snapshot())
        // About 80 requests were due during the stall; counted from their intended send times
        // they waited up to 400 ms. A tool that timed from the actual send would see one slow request.
        #expect(report.latency.max >= 350)
        #expect(report.latency.p90 >= 100)
        #expect(report.sent == report.succeeded + report.failed)
        #expect(report.sent >= 390 && report.sent <= 401)
        #expect(report.throughput <= 200 * 1.1)
    }

    /// Each request takes 50 ms, any number at once; counts how many are in flight at most.
    final class CountingTarget: LoadTarget {
        private let counts = Mutex((now: 0, most: 0))
        var most: Int { counts.withLock { $0.most } }

        func perform(_ operation: String, index: Int) async -> Outcome {
            counts.withLock { counts in
                counts.now += 1
                counts.most = max(counts.most, counts.now)
            }
            try? await Task.sleep(for: .milliseconds(50))
            counts.withLock { $0.now -= 1 }
            return Outcome(status: "200", succeeded: true)
        }
    }

    @Test(
        "open loop with an in-flight limit: never more outstanding, every request still sent, the wait in its latency")
    func openLoopLimit() async throws {
        let recorder = Recorder()
        let target = CountingTarget()
        // 400 a second for 0.5 s: 200 requests, of which 4 at a time can take 50 ms each (80 a second).
        let plan = LoadPlan(
            mode: .open(rate: 400), duration: .seconds(0.5), requests: nil, warmup: .zero, maximumInFlight: 4)
        let measured = await Driver.run(plan, scenario: scenario, target: target, recorder: recorder)
        let report = Report(
            target: "fake", scenario: "mix", mode: plan.mode, warmup: .zero, measured: measured,
            snapshot: recorder.snapshot())
        #expect(target.most == 4)
        #expect(abs(report.sent - 200) <= 2 && report.failed == 0)
        // The last waited for the ~196 before it, 4 at a time: about 2.4 s after its intended time.
        #expect(report.latency.max >= 1500, "\(report.latency)")
        // From when each was actually sent, each took its 50 ms: the wait was the client's.
        let sent = try #require(report.serviceTimeByStatus?["200"])
        #expect(sent.p50 >= 45 && sent.p99 < 1000, "\(sent)")
        #expect(report.text.contains("sent to answered"))
    }

    @Test("a ramp sends each step's rate for its time, on schedule")
    func ramp() async throws {
        let recorder = Recorder()
        let steps = [RampStep(rate: 100, seconds: 0.5), RampStep(rate: 300, seconds: 0.5)]
        let plan = LoadPlan(mode: .ramp(steps: steps), duration: .seconds(1), requests: nil, warmup: .zero)
        let measured = await Driver.run(
            plan, scenario: scenario, target: FakeTarget(service: SerialService(work: .microseconds(100))),
            recorder: recorder)
        let report = Report(
            target: "fake", scenario: "mix", mode: plan.mode, warmup: .zero, measured: measured,
            snapshot: recorder.snapshot())
        // 50 requests in the first half second, 150 in the second: the schedule, not the machine, decides.
        #expect(abs(report.sent - 200) <= 2)
        #expect(report.mode == "ramp" && report.ramp == steps)
        #expect(report.text.contains("100.0 req/s for 0.5 s, then 300.0 req/s for 0.5 s"))
        #expect(RampStep.parse("100:10,200:5") == [RampStep(rate: 100, seconds: 10), RampStep(rate: 200, seconds: 5)])
        #expect(RampStep.parse("100") == nil && RampStep.parse("0:5") == nil && RampStep.parse("") == nil)
    }

    @Test("the JSON report reads back with the same figures as the text report")
    func jsonReport() async throws {
        let recorder = Recorder()
        let plan = LoadPlan(mode: .closed(concurrency: 2), duration: nil, requests: 50, warmup: .zero)
        let measured = await Driver.run(
            plan, scenario: scenario,
            target: FakeTarget(service: SerialService(work: .microseconds(100)), failEvery: 7),
            recorder: recorder)
        let report = Report(
            target: "fake", scenario: "mix", mode: plan.mode, warmup: .zero, measured: measured,
            snapshot: recorder.snapshot())
        let decoded = try JSONDecoder().decode(Report.self, from: try JSONEncoder().encode(report))
        #expect(decoded.sent == report.sent && decoded.failed == report.failed)
        #expect(decoded.latency == report.latency && decoded.operations == report.operations)
        #expect(decoded.histogram.totalCount == 50)
        #expect(report.text.contains("\(report.sent) sent, \(report.succeeded) succeeded, \(report.failed) failed"))
        #expect(report.text.contains("503: \(report.failed)"))
    }

    @Test("a scenario's mix follows its weights")
    func weights() {
        let counts = Dictionary(grouping: (0..<10_000).map(scenario.pick), by: { $0 }).mapValues(\.count)
        #expect(abs(Double(counts["read"]!) / 10_000 - 0.75) < 0.03)
    }
}
