using Likeness.Shared.Data;
using LikenessFunctions.Health;
using LikenessFunctions.Hosting;

var builder = WebApplication.CreateBuilder(args);

builder.ListenWhereTheFunctionsHostExpects();
builder.Services.AddLikenessJson();
builder.Services.AddProblemDetails();
builder.Services.AddLikenessDatabase(builder.Configuration);
builder.Services.AddMigrationOnStartup();
builder.Services.AddLikenessHealthChecks();

var app = builder.Build();

if (AppCommands.Find(args) is { } command)
{
    return await command(app, app.Lifetime.ApplicationStopping);
}

app.MapHealthApi();

await app.RunAsync();
return 0;
