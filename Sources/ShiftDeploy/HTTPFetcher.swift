import Foundation

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// A blocking HTTP GET for gates (deploy runs on the process's main thread).
public struct HTTPFetcher: Sendable {
  /// What came back.
  public struct Response: Sendable {
    /// The status code.
    public var status: Int
    /// The body.
    public var body: [UInt8]
  }

  /// Creates a fetcher.
  public init() {}

  /// GETs `url`, waiting at most `timeoutSeconds`.
  ///
  /// - Returns: the response, or a text saying why there is none.
  public func get(_ url: String, timeoutSeconds: Double) -> Result<Response, FetchError> {
    guard let target = URL(string: url), target.scheme == "http" || target.scheme == "https" else {
      return .failure(FetchError(message: "not an http(s) URL: \(url)"))
    }
    var request = URLRequest(url: target)
    request.timeoutInterval = timeoutSeconds
    let box = ResponseBox()
    let semaphore = DispatchSemaphore(value: 0)
    let task = URLSession.shared.dataTask(with: request) { data, response, error in
      if let error {
        box.set(.failure(FetchError(message: "\(url): \(error.localizedDescription)")))
      } else {
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        box.set(.success(Response(status: status, body: Array(data ?? Data()))))
      }
      semaphore.signal()
    }
    task.resume()
    if semaphore.wait(timeout: .now() + timeoutSeconds + 1) == .timedOut {
      task.cancel()
      return .failure(FetchError(message: "\(url): no answer within \(Int(timeoutSeconds)) s"))
    }
    return box.get() ?? .failure(FetchError(message: "\(url): no answer"))
  }

  /// Why a GET returned no response.
  public struct FetchError: Error, Sendable {
    /// The reason.
    public var message: String
  }
}

/// Hands a response from URLSession's delegate queue to the waiting thread.
///
/// `@unchecked Sendable`: `value` is only touched under `lock`.
private final class ResponseBox: @unchecked Sendable {
  private let lock = NSLock()
  private var value: Result<HTTPFetcher.Response, HTTPFetcher.FetchError>?

  func set(_ result: Result<HTTPFetcher.Response, HTTPFetcher.FetchError>) {
    lock.lock()
    defer { lock.unlock() }
    value = result
  }

  func get() -> Result<HTTPFetcher.Response, HTTPFetcher.FetchError>? {
    lock.lock()
    defer { lock.unlock() }
    return value
  }
}
