using Likeness.Shared.Data;
using Likeness.Shared.Indexing;
using Likeness.Shared.Media;
using Likeness.Shared.Providers;
using Likeness.Shared.Search;
using Likeness.Shared.Storage;
using LikenessFunctions.Hosting;
using LikenessFunctions.Http;
using Microsoft.Azure.Functions.Worker.Builder;

var builder = FunctionsApplication.CreateBuilder(args);

builder.ConfigureFunctionsWebApplication();
builder.UseMiddleware<HttpFailureMiddleware>();
// ASP.NET Core's request lines carry the whole URL, and with it ?code= keys and users' q text.
builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
builder.Services.AddLikenessTelemetry(builder.Configuration);
builder.Services.AddLikenessHttp();
builder.Services.AddNoServerHeader();
builder.Services.AddLikenessDatabase(builder.Configuration);
builder.Services.AddBlobStorage(builder.Configuration);
builder.Services.AddMediaLibrary();
builder.Services.AddLikenessProviders(builder.Configuration);
builder.Services.AddLikenessIndexing();
builder.Services.AddLikenessSearch();
builder.Services.AddLikenessHealthChecks();

var app = builder.Build();
await app.MigrateDatabaseIfEnabledAsync();
await app.RunAsync();
