using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

// Lets the tests see a worker that dies before it ever connects.
if (Environment.GetEnvironmentVariable("TEST_WORKER_CRASH_AT_START") == "1")
{
    await Console.Error.WriteLineAsync("TestWorker: crashing at start (TEST_WORKER_CRASH_AT_START=1)");
    return 5;
}

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
await builder.Build().RunAsync();
return 0;
