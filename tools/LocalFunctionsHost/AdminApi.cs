using System.Text.Encodings.Web;
using System.Text.Json;
using LocalFunctionsHost.Rpc;

namespace LocalFunctionsHost;

/// <summary>
/// The host's admin API: <c>POST /admin/functions/{name}</c> runs a non-HTTP function on demand
/// and answers 202 at once, as the Functions host does. With <c>?wait=true</c> (a local
/// extension) it answers 200 when the run ended, with its outcome and logs.
/// </summary>
internal static class AdminApi
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        // Read by people and tests, never embedded in HTML.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static void MapAdminApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/admin/functions/{name}", RunFunctionAsync);
        endpoints.MapGet("/admin/host/status", HostStatusAsync);
    }

    private static async Task RunFunctionAsync(HttpContext context)
    {
        var services = context.RequestServices;
        if (!services.GetRequiredService<KeyAuthorization>().Allows(context, AuthLevel.Admin))
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        var name = (string)context.Request.RouteValues["name"]!;
        var function = services.GetRequiredService<FunctionRegistry>().Find(name);
        if (function is null)
        {
            await Problem.WriteAsync(context, StatusCodes.Status404NotFound, $"No function named '{name}'.");
            return;
        }

        if (function.Http is not null)
        {
            await Problem.WriteAsync(context, StatusCodes.Status400BadRequest, $"'{function.Name}' is an HTTP function; call its route instead.");
            return;
        }

        string? input;
        try
        {
            input = await ReadInputAsync(context.Request, context.RequestAborted);
        }
        catch (JsonException invalid)
        {
            await Problem.WriteAsync(context, StatusCodes.Status400BadRequest, "The body must be JSON like {\"input\":\"...\"}.", invalid.Message);
            return;
        }

        var data = function.IsTimer ? TimerInput(function, services.GetRequiredService<AppSettings>()) : new TypedData { String = input ?? "" };
        var invoker = services.GetRequiredService<FunctionInvoker>();
        if (!string.Equals(context.Request.Query["wait"], "true", StringComparison.OrdinalIgnoreCase))
        {
            // Not tied to this request: the run goes on after the 202, until the host stops.
            var stopping = services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
            _ = RunDetachedAsync(invoker, function, data, stopping);
            context.Response.StatusCode = StatusCodes.Status202Accepted;
            return;
        }

        InvocationOutcome outcome;
        try
        {
            outcome = await invoker.InvokeAsync(function, data, "Admin API", context.RequestAborted);
        }
        catch (WorkerUnavailableException unavailable)
        {
            await Problem.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "The worker process is not running.", unavailable.Message);
            return;
        }

        await context.Response.WriteAsJsonAsync(
            new RunResult(outcome.InvocationId, outcome.Succeeded ? "Succeeded" : "Failed", outcome.Logs, outcome.Error),
            Json, context.RequestAborted);
    }

    private static Task HostStatusAsync(HttpContext context)
    {
        if (!context.RequestServices.GetRequiredService<KeyAuthorization>().Allows(context, AuthLevel.Admin))
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Task.CompletedTask;
        }

        return context.Response.WriteAsJsonAsync(new { state = "Running", version = WorkerStartup.HostVersion }, Json, context.RequestAborted);
    }

    private static async Task<string?> ReadInputAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(request.Body);
        var body = await reader.ReadToEndAsync(cancellationToken);
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        using var json = JsonDocument.Parse(body);
        return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("input", out var input)
            ? input.ValueKind == JsonValueKind.String ? input.GetString() : input.GetRawText()
            : null;
    }

    // As the host does for a manual run, a timer gets a TimerInfo, whatever the input said.
    private static TypedData TimerInput(FunctionInfo timer, AppSettings settings)
    {
        var now = DateTime.Now;
        var schedule = TimerScheduler.ResolveSchedule(timer, settings, out _, out _);
        return TimerScheduler.Payload(now, schedule?.GetNextOccurrence(now));
    }

    private static async Task RunDetachedAsync(FunctionInvoker invoker, FunctionInfo function, TypedData data, CancellationToken cancellationToken)
    {
        try
        {
            await invoker.InvokeAsync(function, data, "Admin API", cancellationToken);
        }
        catch (Exception exception) when (exception is WorkerUnavailableException or OperationCanceledException)
        {
            // The invoker logged the start; the worker or the host went away before the end.
        }
    }

    private sealed record RunResult(string InvocationId, string Status, IReadOnlyList<string> Logs, string? Error);
}
