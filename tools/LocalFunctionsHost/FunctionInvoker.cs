using System.Diagnostics;
using LocalFunctionsHost.Rpc;

namespace LocalFunctionsHost;

/// <summary>How a non-HTTP invocation ended, with the worker's log messages for it in order.</summary>
internal sealed record InvocationOutcome(string InvocationId, bool Succeeded, IReadOnlyList<string> Logs, string? Error);

/// <summary>Runs non-HTTP functions (timers, admin runs): the trigger input goes in input_data.</summary>
internal sealed class FunctionInvoker(WorkerChannel channel, ILoggerFactory loggerFactory)
{
    private readonly ILogger _log = loggerFactory.CreateLogger("host");

    public async Task<InvocationOutcome> InvokeAsync(FunctionInfo function, TypedData input, string reason, CancellationToken cancellationToken)
    {
        var invocationId = Guid.NewGuid().ToString();
        var invocation = channel.Track(invocationId, collectLogs: true);
        var request = new InvocationRequest
        {
            InvocationId = invocationId,
            FunctionId = function.FunctionId,
            TraceContext = TraceContext.New(),
        };
        request.InputData.Add(new ParameterBinding { Name = function.TriggerName, Data = input });

        _log.LogInformation("Executing '{Function}' (Reason='{Reason}', Id={InvocationId})", function.Name, reason, invocationId);
        var started = Stopwatch.GetTimestamp();
        try
        {
            channel.Send(new StreamingMessage { InvocationRequest = request });
            var response = await invocation.Response.WaitAsync(cancellationToken);
            var succeeded = response.Result?.Status == StatusResult.Types.Status.Success;
            var error = succeeded ? null : response.Result?.Exception?.Message ?? response.Result?.Status.ToString();
            _log.Log(succeeded ? LogLevel.Information : LogLevel.Error,
                "Executed '{Function}' ({Status}, Id={InvocationId}, Duration={ElapsedMs}ms){Error}",
                function.Name, succeeded ? "Succeeded" : "Failed", invocationId,
                (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds, error is null ? "" : ": " + error);
            return new InvocationOutcome(invocationId, succeeded, invocation.Logs, error);
        }
        finally
        {
            channel.Forget(invocationId);
        }
    }
}
