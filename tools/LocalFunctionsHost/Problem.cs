using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace LocalFunctionsHost;

/// <summary>application/problem+json answers for what the host itself decides went wrong.</summary>
internal static class Problem
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // Read by people and tests, never embedded in HTML.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static async Task WriteAsync(HttpContext context, int status, string title, string? detail = null, string? invocationId = null)
    {
        if (context.Response.HasStarted)
        {
            context.Abort();
            return;
        }

        context.Response.Clear();
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/problem+json";
        var problem = new ProblemBody(title, status, detail, invocationId);
        await context.Response.WriteAsync(JsonSerializer.Serialize(problem, Json), context.RequestAborted);
    }

    private sealed record ProblemBody(string Title, int Status, string? Detail, string? InvocationId);
}
