using System.Collections.Concurrent;
using System.Threading.Channels;
using Grpc.Core;
using GrpcException = Grpc.Core.RpcException;
using LocalFunctionsHost.Rpc;

namespace LocalFunctionsHost;

/// <summary>The worker is gone (exited or closed its stream): nothing can be sent to it any more.</summary>
internal sealed class WorkerUnavailableException(string message) : Exception(message);

/// <summary>
/// The host's end of the worker's one bidirectional gRPC stream. Outgoing messages go through a
/// queue drained by one writer (gRPC allows one write at a time); incoming ones are matched to
/// what waits for them: a request by its request_id (the worker copies it into its answer), an
/// invocation by its invocation_id. When the worker goes away everything waiting fails at once.
/// </summary>
internal sealed class WorkerChannel(ILoggerFactory loggerFactory)
{
    private readonly Channel<StreamingMessage> _outgoing = Channel.CreateUnbounded<StreamingMessage>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<string, TaskCompletionSource<StreamingMessage>> _requests = new();
    private readonly ConcurrentDictionary<string, PendingInvocation> _invocations = new();
    private readonly TaskCompletionSource<string> _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<string> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ILogger _log = loggerFactory.CreateLogger("host");
    private readonly ILogger _workerLog = loggerFactory.CreateLogger("log");
    private WorkerUnavailableException? _failure;
    private int _streams;

    /// <summary>Completes with the worker id once the worker has opened its stream.</summary>
    public Task<string> Connected => _connected.Task;

    /// <summary>Completes with the reason once the channel has failed: worker exited or stream gone.</summary>
    public Task<string> Closed => _closed.Task;

    /// <summary>Serves the worker's EventStream call until the worker or the host ends it.</summary>
    public async Task RunStreamAsync(IAsyncStreamReader<StreamingMessage> incoming, IServerStreamWriter<StreamingMessage> outgoing, CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _streams) != 1)
        {
            throw new GrpcException(new Status(StatusCode.FailedPrecondition, "A worker is already connected to this host."));
        }

        if (!await incoming.MoveNext(cancellationToken) || incoming.Current.ContentCase != StreamingMessage.ContentOneofCase.StartStream)
        {
            Fail("The worker did not start its stream with StartStream.");
            return;
        }

        _connected.TrySetResult(incoming.Current.StartStream.WorkerId);
        var writer = WriteAllAsync(outgoing, cancellationToken);
        try
        {
            while (await incoming.MoveNext(cancellationToken))
            {
                Dispatch(incoming.Current);
            }

            Fail("The worker closed its gRPC stream.");
        }
        catch (Exception exception) when (exception is IOException or OperationCanceledException or GrpcException)
        {
            Fail("The worker's gRPC stream broke.");
        }

        await writer;
    }

    /// <summary>Sends a request and waits for the worker's answer to it.</summary>
    public async Task<StreamingMessage> RequestAsync(StreamingMessage request, CancellationToken cancellationToken)
    {
        request.RequestId = Guid.NewGuid().ToString();
        var answer = new TaskCompletionSource<StreamingMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        _requests[request.RequestId] = answer;
        try
        {
            ThrowIfFailed();
            Send(request);
            return await answer.Task.WaitAsync(cancellationToken);
        }
        finally
        {
            _requests.TryRemove(request.RequestId, out _);
        }
    }

    /// <summary>Registers an invocation before its request is sent, so no answer or log can be missed.</summary>
    public PendingInvocation Track(string invocationId, bool collectLogs)
    {
        var invocation = new PendingInvocation(invocationId, collectLogs);
        _invocations[invocationId] = invocation;
        if (Volatile.Read(ref _failure) is { } failure)
        {
            _invocations.TryRemove(invocationId, out _);
            throw failure;
        }

        return invocation;
    }

    public void Forget(string invocationId) => _invocations.TryRemove(invocationId, out _);

    public void Send(StreamingMessage message)
    {
        if (!_outgoing.Writer.TryWrite(message))
        {
            ThrowIfFailed();
            throw new WorkerUnavailableException("The worker channel is closed.");
        }
    }

    public bool TrySend(StreamingMessage message) => _outgoing.Writer.TryWrite(message);

    /// <summary>Fails everything that waits on the worker; the first reason given is kept.</summary>
    public void Fail(string reason)
    {
        if (Interlocked.CompareExchange(ref _failure, new WorkerUnavailableException(reason), null) is not null)
        {
            return;
        }

        var failure = _failure!;
        _outgoing.Writer.TryComplete();
        _closed.TrySetResult(reason);
        _connected.TrySetException(failure);
        foreach (var request in _requests.Values)
        {
            request.TrySetException(failure);
        }

        foreach (var id in _invocations.Keys)
        {
            if (_invocations.TryRemove(id, out var invocation))
            {
                invocation.Fail(failure);
            }
        }
    }

    private void ThrowIfFailed()
    {
        if (Volatile.Read(ref _failure) is { } failure)
        {
            throw failure;
        }
    }

    private async Task WriteAllAsync(IServerStreamWriter<StreamingMessage> outgoing, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var message in _outgoing.Reader.ReadAllAsync(cancellationToken))
            {
                await outgoing.WriteAsync(message, cancellationToken);
            }
        }
        catch (Exception exception) when (exception is IOException or OperationCanceledException or InvalidOperationException or GrpcException)
        {
            Fail("The worker's gRPC stream broke.");
        }
    }

    private void Dispatch(StreamingMessage message)
    {
        switch (message.ContentCase)
        {
            case StreamingMessage.ContentOneofCase.RpcLog:
                var log = message.RpcLog;
                WriteWorkerLog(log);
                if (log.InvocationId.Length > 0 && _invocations.TryGetValue(log.InvocationId, out var logged))
                {
                    logged.AddLog(log.Message);
                }

                break;
            case StreamingMessage.ContentOneofCase.InvocationResponse:
                if (_invocations.TryRemove(message.InvocationResponse.InvocationId, out var invocation))
                {
                    invocation.Complete(message.InvocationResponse);
                }

                break;
            default:
                if (_requests.TryGetValue(message.RequestId, out var request))
                {
                    request.TrySetResult(message);
                }
                else
                {
                    _log.LogDebug("Ignored a {Content} message from the worker", message.ContentCase);
                }

                break;
        }
    }

    private void WriteWorkerLog(RpcLog log)
    {
        var level = log.Level switch
        {
            RpcLog.Types.Level.Trace => LogLevel.Trace,
            RpcLog.Types.Level.Debug => LogLevel.Debug,
            RpcLog.Types.Level.Information => LogLevel.Information,
            RpcLog.Types.Level.Warning => LogLevel.Warning,
            RpcLog.Types.Level.Error => LogLevel.Error,
            RpcLog.Types.Level.Critical => LogLevel.Critical,
            _ => LogLevel.None,
        };
        // The worker's own ASP.NET Core and runtime chatter (request started, endpoint executed)
        // only repeats the host's request line; its warnings and errors still show.
        if (level < LogLevel.Warning && (log.Category.StartsWith("Microsoft.", StringComparison.Ordinal) || log.Category.StartsWith("System.", StringComparison.Ordinal)))
        {
            return;
        }

        if (log.Exception is { } exception)
        {
            _workerLog.Log(level, "{Category}: {Message}{NewLine}{Exception}", log.Category, log.Message, Environment.NewLine,
                exception.Type.Length > 0 ? $"{exception.Type}: {exception.Message}" : exception.Message);
        }
        else
        {
            _workerLog.Log(level, "{Category}: {Message}", log.Category, log.Message);
        }
    }
}

/// <summary>One invocation sent to the worker: its answer and, when asked for, its logs in order.</summary>
internal sealed class PendingInvocation(string invocationId, bool collectLogs)
{
    private readonly TaskCompletionSource<InvocationResponse> _response = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<string>? _logs = collectLogs ? [] : null;

    public string InvocationId { get; } = invocationId;

    /// <summary>The worker's InvocationResponse; faults with <see cref="WorkerUnavailableException"/> if the worker goes away.</summary>
    public Task<InvocationResponse> Response => _response.Task;

    public IReadOnlyList<string> Logs
    {
        get
        {
            if (_logs is null)
            {
                return [];
            }

            lock (_logs)
            {
                return [.. _logs];
            }
        }
    }

    public void AddLog(string message)
    {
        if (_logs is not null)
        {
            lock (_logs)
            {
                _logs.Add(message);
            }
        }
    }

    public void Complete(InvocationResponse response) => _response.TrySetResult(response);

    public void Fail(Exception exception) => _response.TrySetException(exception);
}
