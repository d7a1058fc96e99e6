import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import RPC

/// Hummingbird's HTTP/1 channel whose requests run on the connection's own event loop rather than
/// on Swift's global executor.
///
/// A request then reads, calls its backend (over the RPC client's connection on the same loop),
/// and writes its response without waking another thread. The trade-off, measured in
/// docs/benchmarks.md: a request that calls no backend costs about 24 µs more CPU this way (every
/// `await` of a task with an executor preference takes the runtime's status-record lock, and
/// every resumption goes through the loop's queue), about what a backend call saves in hops.
/// Handlers must never block, since they hold up the loop's other connections while they run;
/// waiting is done with `await`.
struct LoopBoundHTTPChannel: ServerChildChannel {
    typealias Value = HTTP1Channel.Value
    let base: HTTP1Channel

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        base.setup(channel: channel, logger: logger)
    }

    func handle(value: Value, logger: Logger) async {
        await withTaskExecutorPreference(EventLoopExecutor(loop: value.channel.eventLoop)) {
            await base.handle(value: value, logger: logger)
        }
    }
}

extension HTTPServerBuilder {
    /// HTTP/1 with each connection's requests handled on its event loop (see `LoopBoundHTTPChannel`).
    static func loopBoundHTTP1(configuration: HTTP1Channel.Configuration = .init()) -> HTTPServerBuilder {
        .init { responder in
            LoopBoundHTTPChannel(base: HTTP1Channel(responder: responder, configuration: configuration))
        }
    }
}
