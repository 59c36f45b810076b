using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using LocalFunctionsHost.Rpc;
using Microsoft.AspNetCore.Http.Features;

namespace LocalFunctionsHost;

/// <summary>
/// HTTP triggers under the ASP.NET Core integration: the worker serves the request itself on its
/// HttpUri; the host forwards it there, streamed both ways, and sends the InvocationRequest that
/// the worker pairs with it by the x-ms-invocation-id header.
/// </summary>
internal sealed class HttpForwarder(WorkerChannel channel, FunctionRegistry registry, KeyAuthorization keys, ILoggerFactory loggerFactory) : IDisposable
{
    /// <summary>How much of a response is held back while its function's outcome is unknown.</summary>
    public const int HoldBackBytes = 64 * 1024;

    private static readonly HashSet<string> NotForwarded = new(StringComparer.OrdinalIgnoreCase)
    {
        // Hop-by-hop headers, Host (the worker gets X-Forwarded-Host instead), Expect (Kestrel
        // already answered 100-continue) and the correlation header, which only the host sets.
        "Connection", "Keep-Alive", "Proxy-Connection", "Proxy-Authenticate", "Proxy-Authorization",
        "TE", "Trailer", "Transfer-Encoding", "Upgrade", "Host", "Expect", "x-ms-invocation-id",
        "X-Forwarded-Host", "X-Forwarded-Proto",
    };

    private readonly HttpMessageInvoker _client = new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        UseProxy = false,
        AutomaticDecompression = DecompressionMethods.None,
        ConnectTimeout = TimeSpan.FromSeconds(10),
    });

    private readonly ILogger _log = loggerFactory.CreateLogger("http");

    public async Task ForwardAsync(HttpContext context, FunctionInfo function)
    {
        if (!keys.Allows(context, function.Http!.AuthLevel))
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        if (registry.WorkerHttpUri is not { } worker)
        {
            await Problem.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "The worker serves no HTTP (no ASP.NET Core integration).");
            return;
        }

        var invocationId = Guid.NewGuid().ToString();
        PendingInvocation invocation;
        try
        {
            invocation = channel.Track(invocationId, collectLogs: false);
        }
        catch (WorkerUnavailableException unavailable)
        {
            await Problem.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "The worker process is not running.", unavailable.Message);
            return;
        }

        using var forwarding = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        using var request = CreateWorkerRequest(context, worker, invocationId);
        // The real host starts forwarding first, then sends the invocation; the worker waits for both.
        var responseTask = _client.SendAsync(request, forwarding.Token);
        try
        {
            channel.Send(CreateInvocation(context, function, invocationId));
        }
        catch (WorkerUnavailableException)
        {
            // Surfaces through invocation.Response, which the channel has failed.
        }

        using var cancelOnAbort = context.RequestAborted.Register(() => channel.TrySend(new StreamingMessage
        {
            InvocationCancel = new InvocationCancel { InvocationId = invocationId },
        }));

        try
        {
            await RelayAsync(context, function, invocation, responseTask, forwarding);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client left; nothing to answer.
        }
        finally
        {
            channel.Forget(invocationId);
        }
    }

    public void Dispose() => _client.Dispose();

    /// <summary>
    /// The worker may send its InvocationResponse only after the function has written the whole
    /// body, so the host cannot wait for it before streaming a large body. It holds the response
    /// back until the body ends or fills <see cref="HoldBackBytes"/>: a failure known by then
    /// still becomes a 500; one known only later aborts the response instead.
    /// </summary>
    private async Task RelayAsync(HttpContext context, FunctionInfo function, PendingInvocation invocation, Task<HttpResponseMessage> responseTask, CancellationTokenSource forwarding)
    {
        if (await Task.WhenAny(responseTask, invocation.Response) == invocation.Response && !Succeeded(invocation.Response))
        {
            await forwarding.CancelAsync();
            await ((Task)responseTask).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (responseTask.IsCompletedSuccessfully)
            {
                responseTask.Result.Dispose();
            }

            await AnswerFailureAsync(context, function, invocation, null);
            return;
        }

        HttpResponseMessage response;
        try
        {
            response = await responseTask;
        }
        catch (HttpRequestException forwardError)
        {
            await AnswerFailureAsync(context, function, invocation, forwardError);
            return;
        }

        using (response)
        {
            await using var body = await response.Content.ReadAsStreamAsync(context.RequestAborted);
            var held = ArrayPool<byte>.Shared.Rent(HoldBackBytes);
            try
            {
                await RelayBodyAsync(context, function, invocation, response, body, held);
            }
            catch (IOException broken) when (!context.RequestAborted.IsCancellationRequested)
            {
                // The worker's side broke off mid-body (it died, most likely).
                if (context.Response.HasStarted)
                {
                    _log.LogError("The response of {Function} broke off: {Error}", function.Name, broken.Message);
                    context.Abort();
                }
                else
                {
                    await AnswerFailureAsync(context, function, invocation, broken);
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(held);
            }
        }
    }

    private async Task RelayBodyAsync(HttpContext context, FunctionInfo function, PendingInvocation invocation, HttpResponseMessage response, Stream body, byte[] held)
    {
        var length = await FillAsync(body, held, context.RequestAborted);
        var ended = length < HoldBackBytes;
        if (ended)
        {
            await ((Task)invocation.Response).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        if (invocation.Response.IsCompleted && !Succeeded(invocation.Response))
        {
            await AnswerFailureAsync(context, function, invocation, null);
            return;
        }

        CopyResponseHeaders(response, context.Response);
        // Kestrel refuses any write, even an empty one, to a response that has no body (304, 204, HEAD).
        if (length > 0)
        {
            await context.Response.Body.WriteAsync(held.AsMemory(0, length), context.RequestAborted);
        }
        if (!ended)
        {
            await body.CopyToAsync(context.Response.Body, context.RequestAborted);
            await ((Task)invocation.Response).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (!Succeeded(invocation.Response))
            {
                LogFailure(function, invocation);
                context.Abort();
            }
        }
    }

    private async Task AnswerFailureAsync(HttpContext context, FunctionInfo function, PendingInvocation invocation, Exception? forwardError)
    {
        // A worker that went away makes both the forward and the invocation fail; say which.
        if (invocation.Response.IsFaulted || (forwardError is not null && !invocation.Response.IsCompleted))
        {
            var reason = invocation.Response.Exception?.InnerException as WorkerUnavailableException;
            if (reason is null && forwardError is not null)
            {
                // Give the channel a moment's chance to learn whether the worker died.
                await ((Task)invocation.Response).WaitAsync(TimeSpan.FromSeconds(2), context.RequestAborted).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                reason = invocation.Response.Exception?.InnerException as WorkerUnavailableException;
            }

            if (reason is not null)
            {
                await Problem.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "The worker process is not running.", reason.Message, invocation.InvocationId);
            }
            else
            {
                _log.LogError("Forwarding {Function} to the worker failed: {Error}", function.Name, forwardError?.Message);
                await Problem.WriteAsync(context, StatusCodes.Status502BadGateway, "The worker did not answer the request.", forwardError?.Message, invocation.InvocationId);
            }

            return;
        }

        var error = LogFailure(function, invocation);
        await Problem.WriteAsync(context, StatusCodes.Status500InternalServerError, $"Function '{function.Name}' failed.", error, invocation.InvocationId);
    }

    private string? LogFailure(FunctionInfo function, PendingInvocation invocation)
    {
        var error = invocation.Response.IsCompletedSuccessfully ? invocation.Response.Result.Result?.Exception?.Message : null;
        _log.LogError("Function {Function} failed (Id={InvocationId}): {Error}", function.Name, invocation.InvocationId, error);
        return error;
    }

    private static bool Succeeded(Task<InvocationResponse> response) =>
        response.IsCompletedSuccessfully && response.Result.Result?.Status == StatusResult.Types.Status.Success;

    private static async Task<int> FillAsync(Stream body, byte[] buffer, CancellationToken cancellationToken)
    {
        var length = 0;
        while (length < HoldBackBytes)
        {
            var read = await body.ReadAsync(buffer.AsMemory(length, HoldBackBytes - length), cancellationToken);
            if (read == 0)
            {
                break;
            }

            length += read;
        }

        return length;
    }

    private static HttpRequestMessage CreateWorkerRequest(HttpContext context, Uri worker, string invocationId)
    {
        var incoming = context.Request;
        var request = new HttpRequestMessage(new HttpMethod(incoming.Method), new Uri(worker, incoming.Path.ToUriComponent() + incoming.QueryString.ToUriComponent()))
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        if (context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == true)
        {
            request.Content = new StreamContent(incoming.Body, HoldBackBytes);
        }

        foreach (var (name, values) in incoming.Headers)
        {
            if (!NotForwarded.Contains(name) && !request.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values))
            {
                request.Content?.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
            }
        }

        request.Headers.TryAddWithoutValidation("x-ms-invocation-id", invocationId);
        request.Headers.TryAddWithoutValidation("X-Forwarded-Host", incoming.Host.Value);
        request.Headers.TryAddWithoutValidation("X-Forwarded-Proto", incoming.Scheme);
        if (context.Connection.RemoteIpAddress is { } client)
        {
            request.Headers.Remove("X-Forwarded-For");
            var chain = incoming.Headers["X-Forwarded-For"].ToString();
            request.Headers.TryAddWithoutValidation("X-Forwarded-For", chain.Length == 0 ? client.ToString() : $"{chain}, {client}");
        }

        return request;
    }

    private static StreamingMessage CreateInvocation(HttpContext context, FunctionInfo function, string invocationId)
    {
        var invocation = new InvocationRequest
        {
            InvocationId = invocationId,
            FunctionId = function.FunctionId,
            TraceContext = TraceContext.From(context.Request.Headers),
        };
        // The body travels over HTTP only; the trigger's input is an empty RpcHttp.
        invocation.InputData.Add(new ParameterBinding { Name = function.TriggerName, Data = new TypedData { Http = new RpcHttp() } });
        // Route-bound function parameters are read from the trigger metadata, not from the HTTP request.
        foreach (var (name, value) in context.Request.RouteValues)
        {
            if (value is not null)
            {
                invocation.TriggerMetadata[name] = new TypedData { String = Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) };
            }
        }

        var query = context.Request.Query.ToDictionary(pair => pair.Key, pair => pair.Value.ToString(), StringComparer.Ordinal);
        invocation.TriggerMetadata["Query"] = new TypedData { Json = JsonSerializer.Serialize(query) };
        return new StreamingMessage { InvocationRequest = invocation };
    }

    private static void CopyResponseHeaders(HttpResponseMessage from, HttpResponse to)
    {
        to.StatusCode = (int)from.StatusCode;
        foreach (var (name, values) in from.Headers.Concat(from.Content.Headers))
        {
            if (!NotForwarded.Contains(name))
            {
                to.Headers[name] = values.ToArray();
            }
        }
    }
}

/// <summary>The W3C trace context the host hands every invocation (the worker expects one).</summary>
internal static class TraceContext
{
    public static RpcTraceContext From(IHeaderDictionary headers)
    {
        var parent = headers["traceparent"].ToString();
        return new RpcTraceContext
        {
            TraceParent = parent.Length > 0 ? parent : New().TraceParent,
            TraceState = headers["tracestate"].ToString(),
        };
    }

    public static RpcTraceContext New() => new()
    {
        TraceParent = $"00-{ActivityTraceId.CreateRandom().ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-00",
    };
}
