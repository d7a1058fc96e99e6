import Foundation
import TestSupport
import Testing

/// `mentornet-gateway` as a process: connections that clients open and close go away.
@Suite("the gateway process under connection churn")
struct ConnectionChurnTests {
    @Test("connections a client closes are closed here too: resident memory and descriptors level off")
    func noLeakPerConnection() async throws {
        // The server allows half-closure, so a client's FIN arrives as `inputClosed`; the gateway
        // used to ignore it and keep every such connection (its task, buffers and descriptor):
        // ~11 KB each, for good.
        let (grown, _, _) = try await ServiceProcess.with("mentornet-gateway", ["--listen", "127.0.0.1:0"]) {
            service in
            let grown = try await service.growthUnderConnectionChurn(
                port: try await service.listeningPort(), count: 6000)
            service.signal(SIGTERM)
            await service.waitForEndOfOutput()
            return grown
        }
        #expect(grown.kilobytes < 8_000, "resident memory grew \(grown.kilobytes) KB over 6,000 connections")
        #expect(grown.descriptors < 50, "\(grown.descriptors) more descriptors open after 6,000 connections")
    }
}
