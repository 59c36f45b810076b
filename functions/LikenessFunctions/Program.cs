using Likeness.Shared.Data;
using Likeness.Shared.Indexing;
using Likeness.Shared.Providers;
using Likeness.Shared.Search;
using Likeness.Shared.Storage;
using LikenessFunctions.Health;
using LikenessFunctions.Hosting;
using LikenessFunctions.Media;
using LikenessFunctions.OpenApi;
using LikenessFunctions.Queue;
using LikenessFunctions.Search;
using LikenessFunctions.Timers;

var builder = WebApplication.CreateBuilder(args);

builder.ListenWhereTheFunctionsHostExpects();
builder.Services.AddLikenessJson();
builder.Services.AddProblemDetails();
builder.Services.AddLikenessDatabase(builder.Configuration);
builder.Services.AddBlobStorage(builder.Configuration);
builder.Services.AddLikenessProviders(builder.Configuration);
builder.Services.AddLikenessIndexing();
builder.Services.AddLikenessSearch();
builder.Services.AddMigrationOnStartup();
builder.Services.AddStandaloneTimers(builder.Configuration);
builder.Services.AddLikenessHealthChecks();
builder.Services.AddLikenessOpenApi();

var app = builder.Build();

if (AppCommands.Find(args) is { } command)
{
    return await command(app, app.Lifetime.ApplicationStopping);
}

app.MapHealthApi();
app.MapQueueApi();
app.MapSearchApi();
app.MapMediaApi();
app.MapLikenessOpenApi();
app.MapTimerFunctions();

await app.RunAsync();
return 0;
