import LoadKit
import Testing

@Suite("the journey's inboxes")
struct InboxScenarioTests {
    @Test("reading and marking inboxes need the notifications service; the journey includes them when it is there")
    func needsNotifications() throws {
        #expect(Scenarios.named("inbox", matching: true, sessions: true) == nil)
        let inbox = try #require(Scenarios.named("inbox", matching: false, notifications: true))
        #expect(Set(inbox.weights.map(\.operation)) == ["read-inbox", "mark-read"])
        let journey = try #require(Scenarios.named("journey", matching: true, sessions: true, notifications: true))
        #expect(
            journey.weights.contains { $0.operation == "read-inbox" }
                && journey.weights.contains { $0.operation == "mark-read" })
        let without = try #require(Scenarios.named("journey", matching: true, sessions: true))
        #expect(!without.weights.contains { $0.operation == "read-inbox" || $0.operation == "mark-read" })
        #expect(Scenarios.names.contains("inbox"))
    }
}
