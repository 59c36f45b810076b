using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace LocalFunctionsHost.TestWorker;

/// <summary>Functions that exercise what the local host does for a real isolated worker.</summary>
public sealed class Functions(ILogger<Functions> log, IConfiguration configuration)
{
    private static int _ticks;

    /// <summary>Echoes what the function saw: route value, query, a header, the body, the public URL.</summary>
    [Function("Echo")]
    public async Task<IActionResult> Echo(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", Route = "echo/{id:int}")] HttpRequest req, int id)
    {
        using var reader = new StreamReader(req.Body);
        var body = await reader.ReadToEndAsync(req.HttpContext.RequestAborted);
        return new OkObjectResult(new
        {
            id,
            method = req.Method,
            query = req.Query["q"].ToString(),
            header = req.Headers["x-test"].ToString(),
            body,
            url = $"{req.Scheme}://{req.Host}{req.Path}{req.QueryString}",
        });
    }

    /// <summary>An app setting as the worker's configuration sees it.</summary>
    [Function("Setting")]
    public IActionResult Setting([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "settings/{name}")] HttpRequest req, string name) =>
        new OkObjectResult(configuration[name] ?? "(not set)");

    [Function("Secret")]
    public static IActionResult Secret([HttpTrigger(AuthorizationLevel.Function, "get", Route = "secret")] HttpRequest req) =>
        new OkObjectResult("secret ok");

    [Function("AdminOnly")]
    public static IActionResult AdminOnly([HttpTrigger(AuthorizationLevel.Admin, "get", Route = "admin-only")] HttpRequest req) =>
        new OkObjectResult("admin ok");

    [Function("Throws")]
    public IActionResult Throws([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "throws")] HttpRequest req)
    {
        log.LogInformation("about to throw");
        throw new InvalidOperationException("Throws always throws");
    }

    /// <summary>?mb= megabytes (default 8) of <see cref="PatternStream"/> bytes, with Range support.</summary>
    [Function("Big")]
    public static IActionResult Big([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "big")] HttpRequest req)
    {
        var megabytes = int.TryParse(req.Query["mb"], out var mb) ? mb : 8;
        return new FileStreamResult(new PatternStream(megabytes * 1024L * 1024), "application/octet-stream") { EnableRangeProcessing = true };
    }

    /// <summary>Writes 256 KB of the response, more than the host holds back, then throws.</summary>
    [Function("FailsMidStream")]
    public static async Task<IActionResult> FailsMidStream([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "fails-mid-stream")] HttpRequest req)
    {
        req.HttpContext.Response.ContentType = "application/octet-stream";
        await new PatternStream(256 * 1024).CopyToAsync(req.HttpContext.Response.Body, req.HttpContext.RequestAborted);
        throw new InvalidOperationException("FailsMidStream fails after streaming");
    }

    /// <summary>Reads the request body as a stream and reports its length and SHA-256.</summary>
    [Function("Upload")]
    public static async Task<IActionResult> Upload([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "upload")] HttpRequest req)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[81920];
        long length = 0;
        int read;
        while ((read = await req.Body.ReadAsync(buffer, req.HttpContext.RequestAborted)) > 0)
        {
            sha.AppendData(buffer, 0, read);
            length += read;
        }

        return new OkObjectResult(new { length, sha256 = Convert.ToHexString(sha.GetHashAndReset()) });
    }

    /// <summary>Kills the worker process in the middle of a request.</summary>
    [Function("Dies")]
    public static IActionResult Dies([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "dies")] HttpRequest req)
    {
        Environment.Exit(3);
        return new OkResult();
    }

    [Function("Tick")]
    public void Tick([TimerTrigger("%Timers:Tick:Schedule%")] TimerInfo timer)
    {
        log.LogInformation("tick {Count}", Interlocked.Increment(ref _ticks));
        log.LogInformation("timer status: next {Next:O}, past due {IsPastDue}", timer.ScheduleStatus?.Next, timer.IsPastDue);
    }

    /// <summary>A timer whose run outlasts its every-second schedule (when the tests set one).</summary>
    [Function("Slow")]
    public async Task Slow([TimerTrigger("%Timers:Slow:Schedule%")] TimerInfo timer)
    {
        log.LogInformation("slow run starts");
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        log.LogInformation("slow run ends");
    }

    /// <summary>A timer that fails; its schedule (once a year) never comes round in a test.</summary>
    [Function("Broken")]
    public void Broken([TimerTrigger("0 0 0 1 1 *")] TimerInfo timer)
    {
        log.LogWarning("Broken is about to fail");
        throw new InvalidOperationException("Broken always fails");
    }
}
