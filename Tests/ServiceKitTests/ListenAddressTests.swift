import ArgumentParser
import ServiceKit
import Testing

@Suite("configuration parsing")
struct ListenAddressTests {
    @Test(
        "valid listen addresses",
        arguments: [
            ("127.0.0.1:7101", "127.0.0.1", 7101),
            ("0.0.0.0:0", "0.0.0.0", 0),
            ("localhost:65535", "localhost", 65535),
            ("[::1]:8080", "::1", 8080),
        ]
    )
    func valid(_ text: String, _ host: String, _ port: Int) throws {
        let address = try ListenAddress(parsing: text, option: "--listen")
        #expect(address == ListenAddress(host: host, port: port))
    }

    @Test(
        "invalid listen addresses are rejected, naming the option",
        arguments: ["7101", ":7101", "host:", "host:99999", "host:x"])
    func invalid(_ text: String) {
        let error = #expect(throws: (any Error).self) { try ListenAddress(parsing: text, option: "MENTORNET_LISTEN") }
        #expect("\(error!)".contains("MENTORNET_LISTEN"))
    }

    @Test("peer addresses come from the environment, with loopback defaults")
    func peers() throws {
        let peers = try PeerAddresses(environment: Environment(["MENTORNET_MATCHING_ADDR": "matching:9000"]))
        #expect(peers[.profiles] == ListenAddress(host: "127.0.0.1", port: 7101))
        #expect(peers[.matching] == ListenAddress(host: "matching", port: 9000))
        #expect(peers[.sessions].port == 7103)
        #expect(peers[.notifications].port == 7104)
        #expect(throws: (any Error).self) {
            try PeerAddresses(environment: Environment(["MENTORNET_SESSIONS_ADDR": "nope"]))
        }
    }

    @Test("the listen address comes from the flag, then the environment, then the default")
    func precedence() throws {
        let fromEnvironment = ServiceRunner(
            name: "x", defaultPort: 7101, environment: Environment(["MENTORNET_LISTEN": "0.0.0.0:9"]))
        #expect(try fromEnvironment.listenAddress(ServiceOptions.parse([])) == ListenAddress(host: "0.0.0.0", port: 9))
        #expect(try fromEnvironment.listenAddress(ServiceOptions.parse(["--listen", "127.0.0.1:5"])).port == 5)
        let byDefault = ServiceRunner(name: "x", defaultPort: 7101, environment: Environment([:]))
        #expect(try byDefault.listenAddress(ServiceOptions.parse([])) == ListenAddress(host: "127.0.0.1", port: 7101))
    }
}
