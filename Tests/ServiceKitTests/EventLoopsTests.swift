import NIOCore
import Testing

@testable import ServiceKit

@Suite("how many event loops a service runs")
struct EventLoopsTests {
    @Test("the flag wins over the environment, the environment over the CPUs available")
    func precedence() {
        let environment = Environment(["MENTORNET_EVENT_LOOPS": "3"])
        #expect(EventLoops.count(option: 5, environment: environment, available: 2) == 5)
        #expect(EventLoops.count(option: nil, environment: environment, available: 2) == 3)
        #expect(EventLoops.count(option: nil, environment: Environment([:]), available: 2) == 2)
    }

    @Test(
        "kernel CPU lists are counted", arguments: [("0", 1), ("0-1", 2), ("0-3,6", 5), ("1,3,5-7\n", 5), ("x", nil)])
    func cpuLists(_ list: String, _ count: Int?) {
        #expect(EventLoops.count(cpuList: list) == count)
    }
}
