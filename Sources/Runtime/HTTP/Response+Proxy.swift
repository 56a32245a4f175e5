import Hummingbird

extension Response {
    /// The Hummingbird response that writes `answer`.
    init(_ answer: ProxyResponse) {
        switch answer.body {
        case .whole(let buffer):
            self.init(status: answer.status, headers: answer.headers, body: .init(byteBuffer: buffer))
        case .stream(let body):
            self.init(
                status: answer.status, headers: answer.headers,
                body: ResponseBody(contentLength: body.contentLength) { writer in
                    try await body.write { try await writer.write($0) }
                    try await writer.finish(nil)
                })
        case .produced(let body):
            self.init(
                status: answer.status, headers: answer.headers,
                body: ResponseBody { writer in
                    try await body.write { try await writer.write($0) }
                    try await writer.finish(nil)
                })
        }
    }
}
