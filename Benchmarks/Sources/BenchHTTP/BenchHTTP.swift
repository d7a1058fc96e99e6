import ArgumentParser
import Hummingbird

#if canImport(Glibc)
import Glibc
#endif

/// The HTTP ceiling on this machine: a bare Hummingbird 2 route answering a static JSON body of
/// about the size of a member, with nothing behind it.
@main
struct BenchHTTP: AsyncParsableCommand {
    @Option var port = 0
    @Option(help: "Bytes of JSON to answer with") var size = 700

    func run() async throws {
        let payload = "{\"padding\":\"" + String(repeating: "m", count: max(0, size - 14)) + "\"}"
        let router = Router()
        router.get("static") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: payload)))
        }
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: port)),
            onServerRunning: { channel in
                print("listening on 127.0.0.1:\(channel.localAddress!.port!)")
                fflush(nil)
            }
        )
        try await app.runService()
    }
}
