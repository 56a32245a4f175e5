import AsyncHTTPClient

/// AsyncHTTPClient's response type, named once.
typealias HTTPClientResponseType = HTTPClientResponse
