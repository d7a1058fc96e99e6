import RPC
import Testing

@Suite("the principal in call metadata")
struct PrincipalTests {
    @Test("it reads back what it wrote, reserved characters included, and refuses what is not one")
    func roundTrip() {
        let principals = [
            Principal(subject: "m-1", member: "m-1"),
            Principal(subject: "admin:acme", adminNetworks: ["acme", "globex"]),
            Principal(subject: "a;b=c,d%e", member: "x;y", adminNetworks: ["n,1", "n=2"]),
            Principal(subject: "ünï ☃", member: nil),
        ]
        for principal in principals {
            #expect(Principal(metadataValue: principal.metadataValue) == principal, "\(principal.metadataValue)")
        }
        #expect(Principal(metadataValue: "sub=m-1;member=m-1").map(\.member) == "m-1")
        #expect(Principal(metadataValue: "member=m-1") == nil, "a subject is required")
        #expect(Principal(metadataValue: "sub=") == nil)
        #expect(Principal(metadataValue: "garbage") == nil)
        #expect(Principal(metadataValue: "sub=%G1") == nil)
        #expect(Principal(metadataValue: "sub=s;future=1")?.subject == "s", "unknown keys are skipped")
        #expect(Principal(subject: "s", adminNetworks: ["acme"]).administers("acme"))
    }
}
