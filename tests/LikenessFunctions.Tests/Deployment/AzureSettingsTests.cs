using System.Reflection;
using Likeness.Shared.Data;

namespace LikenessFunctions.Tests.Deployment;

/// <summary>
/// The app settings infra/ gives the function app against what the app binds: every *Options
/// class with a <c>SectionName</c>, the connection string, and the timers' schedule settings.
/// </summary>
[TestClass]
public sealed class AzureSettingsTests
{
    /// <summary>Options without a default that Azure deliberately leaves unset, and why.</summary>
    private static readonly Dictionary<string, string> UnsetInAzure = new(StringComparer.OrdinalIgnoreCase)
    {
        ["AI__ApiKey"] = "the app authenticates to Azure OpenAI with its managed identity",
        ["MediaStorage__ConnectionString"] = "the storage account allows no shared keys; MediaStorage__ServiceUri and the identity are used",
    };

    /// <summary>Settings read by the Functions host rather than by the app's options.</summary>
    private static readonly string[] HostSettings =
    [
        "AzureWebJobsStorage__accountName",
        "AzureWebJobsStorage__credential",
        "AzureWebJobsStorage__clientId",
        "APPLICATIONINSIGHTS_CONNECTION_STRING",
        "APPLICATIONINSIGHTS_AUTHENTICATION_STRING",
    ];

    private static readonly IReadOnlyDictionary<string, string> Bicep = Repository.BicepAppSettings();

    private static readonly string ConnectionStringSetting = $"ConnectionStrings__{DatabaseServiceCollectionExtensions.ConnectionStringName}";

    [TestMethod]
    public void TheAppsOptionsAreFoundByReflection()
    {
        var sections = OptionsSections().Select(o => o.Section).ToList();

        CollectionAssert.IsSubsetOf(new[] { "Database", "MediaStorage", "AI", "ElevenLabs", "Indexing" }, sections);
    }

    [TestMethod]
    public void EveryOptionWithoutADefaultIsSetInAzureUnlessDeliberatelyLeftOut()
    {
        var missing = BindableSettings()
            .Where(s => s.Default is null || s.Default is string { Length: 0 })
            .Select(s => s.Name)
            .Where(name => !Bicep.ContainsKey(name) && !UnsetInAzure.ContainsKey(name))
            .ToList();

        Assert.IsEmpty(missing, $"Set these in infra/app/api.bicep, or list them in {nameof(UnsetInAzure)} with the reason: {string.Join(", ", missing)}");
    }

    [TestMethod]
    public void EverySettingInAzureIsOneTheAppOrTheHostReads()
    {
        var known = BindableSettings().Select(s => s.Name)
            .Concat(HostSettings)
            .Append(ConnectionStringSetting)
            .Concat(FunctionContract.Timers.Select(timer => timer.ScheduleSetting!.Replace(":", "__", StringComparison.Ordinal)))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);

        var unknown = Bicep.Keys.Where(key => !known.Contains(key)).ToList();

        Assert.IsEmpty(unknown, $"Nothing reads these settings (a typo, or an option that was renamed): {string.Join(", ", unknown)}");
    }

    [TestMethod]
    public void TheDeliberatelyUnsetOptionsExistAndStayUnset()
    {
        var names = BindableSettings().Select(s => s.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);

        foreach (var name in UnsetInAzure.Keys)
        {
            Assert.Contains(name, names, "an option that no longer exists");
            Assert.IsFalse(Bicep.ContainsKey(name), $"{name} is set after all: {UnsetInAzure[name]}");
        }
    }

    [TestMethod]
    public void TheFunctionsHostReachesItsStorageAndTelemetryWithTheManagedIdentity()
    {
        foreach (var name in HostSettings)
        {
            Assert.IsTrue(Bicep.ContainsKey(name), name);
        }
        Assert.AreEqual("managedidentity", Bicep["AzureWebJobsStorage__credential"]);
        Assert.IsFalse(Bicep.ContainsKey("AzureWebJobsStorage"), "a connection string would need a shared key, which the account disallows");
        StringAssert.Contains(Bicep["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"], "Authorization=AAD");
    }

    [TestMethod]
    public void TheAppReachesPostgreSqlOpenAiAndBlobsWithTheManagedIdentity()
    {
        Assert.AreEqual("true", Bicep["Database__UseEntraAuthentication"]);
        Assert.AreEqual("true", Bicep["AI__UseManagedIdentity"]);
        foreach (var clientId in new[] { "Database__ManagedIdentityClientId", "AI__ManagedIdentityClientId", "MediaStorage__ClientId", "AzureWebJobsStorage__clientId" })
        {
            Assert.AreEqual("identityClientId", Bicep[clientId], $"{clientId} must name the app's user-assigned identity");
        }
        StringAssert.EndsWith(Bicep["AI__Endpoint"], "openAiEndpoint", "AI__Endpoint comes from main.bicep's Azure OpenAI resource endpoint");
    }

    [TestMethod]
    public void TheConnectionStringCarriesNoPasswordAndRequiresTls()
    {
        Assert.IsTrue(Bicep.TryGetValue(ConnectionStringSetting, out var connectionString), ConnectionStringSetting);

        StringAssert.Contains(connectionString, "Username=${identityName}");
        StringAssert.Contains(connectionString, "Ssl Mode=Require");
        Assert.DoesNotContain("password", connectionString.ToLowerInvariant());
    }

    [TestMethod]
    public void TheElevenLabsKeyIsAKeyVaultReference()
    {
        Assert.IsTrue(Bicep.TryGetValue("ElevenLabs__ApiKey", out var value));

        Assert.AreEqual("elevenLabsApiKeyReference", value);
        StringAssert.Contains(File.ReadAllText(Repository.PathOf("infra", "main.bicep")), "'@Microsoft.KeyVault(SecretUri=${keyVault.outputs.uri}secrets/");
    }

    /// <summary>Every options class the app binds: public, named *Options, with a <c>SectionName</c> constant.</summary>
    private static IEnumerable<(Type Type, string Section)> OptionsSections() =>
        new[] { typeof(DatabaseOptions).Assembly, typeof(Routes).Assembly }
            .SelectMany(assembly => assembly.GetExportedTypes())
            .Where(type => type.IsClass && type.Name.EndsWith("Options", StringComparison.Ordinal))
            .Select(type => (Type: type, Field: type.GetField("SectionName", BindingFlags.Public | BindingFlags.Static)))
            .Where(o => o.Field is { IsLiteral: true })
            .Select(o => (o.Type, (string)o.Field!.GetRawConstantValue()!));

    /// <summary>Every setting the configuration binder can fill, as an app setting name, with its default.</summary>
    private static IEnumerable<(string Name, object? Default)> BindableSettings() =>
        OptionsSections().SelectMany(o => Settings(o.Type, o.Section, Activator.CreateInstance(o.Type)));

    private static IEnumerable<(string Name, object? Default)> Settings(Type type, string prefix, object? instance)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod is { IsPublic: true }))
        {
            var name = $"{prefix}__{property.Name}";
            var value = instance is null ? null : property.GetValue(instance);
            var propertyType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (IsScalar(propertyType))
            {
                yield return (name, value);
                continue;
            }
            foreach (var nested in Settings(propertyType, name, value))
            {
                yield return nested;
            }
        }
    }

    private static bool IsScalar(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(Uri) || type == typeof(decimal)
        || type == typeof(TimeSpan) || type == typeof(DateTimeOffset) || type == typeof(Guid)
        || typeof(System.Collections.IEnumerable).IsAssignableFrom(type);
}
