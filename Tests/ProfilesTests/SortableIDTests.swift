import ServiceStore
import Testing

@Suite("sortable ids")
struct SortableIDTests {
    @Test("made ids are well formed, sort by time, and only their own prefix matches")
    func madeIDs() {
        let earlier = SortableID.make(prefix: "mbr_", atMicros: 1_795_000_000_000_000)
        let later = SortableID.make(prefix: "mbr_", atMicros: 1_795_000_000_001_000)
        #expect(earlier.utf8.count == 30)
        #expect(earlier < later)
        #expect(SortableID.isWellFormed(earlier, prefix: "mbr_"))
        #expect(!SortableID.isWellFormed(earlier, prefix: "mat_"))
        #expect(SortableID.isWellFormed("mat_" + earlier.dropFirst(4), prefix: "mat_"))
    }

    @Test(
        "anything else is refused",
        arguments: [
            "", "mbr_", "mbr", "01m8fjtrqatqm3svrt8n687n5w", "mbr_01m8fjtrqatqm3svrt8n687n5",
            "mbr_01m8fjtrqatqm3svrt8n687n5ww",
            "MBR_01m8fjtrqatqm3svrt8n687n5w", "mbr_01M8fjtrqatqm3svrt8n687n5w", "mbr_01m8fjtrqatqm3svrt8n687n5i",
            "mbr_01m8fjtrqatqm3svrt8n687n5l", "mbr_01m8fjtrqatqm3svrt8n687n5o", "mbr_01m8fjtrqatqm3svrt8n687n5u",
            "mbr_01m8fjtrqatqm3svrt8n687n5-", "mbr_01m8fjtrqatqm3svrt8n687né", "mbr-01m8fjtrqatqm3svrt8n687n5w",
            "mbr_01m8fjtrqatqm3svrt8n687n5\u{0}",
        ])
    func refused(_ text: String) {
        #expect(!SortableID.isWellFormed(text, prefix: "mbr_"))
        #expect(SortableID.isWellFormed("mbr_01m8fjtrqatqm3svrt8n687n5w", prefix: "mbr_"))
    }

    @Test("random text: the asked length, only the ids' alphabet, never the same twice")
    func randomText() {
        let texts = (0..<100).map { _ in SortableID.randomText(40) }
        #expect(texts.allSatisfy { $0.count == 40 && SortableID.isWellFormed("x_" + $0.prefix(26), prefix: "x_") })
        #expect(Set(texts).count == texts.count)
    }
}
