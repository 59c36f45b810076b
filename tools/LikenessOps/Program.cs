using Likeness.Shared.Data;
using Likeness.Shared.Media;
using Likeness.Shared.Providers;
using Likeness.Shared.Storage;
using LikenessOps;
using Microsoft.Extensions.Hosting;

// Settings come from the environment, as the app's do; the words on the command line are the command's own.
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [] });
builder.Services.AddLikenessDatabase(builder.Configuration);
builder.Services.AddBlobStorage(builder.Configuration);
builder.Services.AddMediaLibrary();
builder.Services.AddLikenessProviders(builder.Configuration);

using var host = builder.Build();
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
return await OpsCommands.RunAsync(args, host.Services, Console.Out, Console.Error, stop.Token);
