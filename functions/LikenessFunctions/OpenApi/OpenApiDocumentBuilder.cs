using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.RegularExpressions;
using Likeness.Shared.Data;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.Mvc.Formatters;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.AspNetCore.WebUtilities;

namespace LikenessFunctions.OpenApi;

/// <summary>
/// Builds the OpenAPI 3.1 document from the app's <c>[Function]</c> methods: path and methods from
/// the HTTP trigger, the function key from its auth level, responses from the typed result the
/// method returns (the same <see cref="IEndpointMetadataProvider"/> metadata ASP.NET Core reads),
/// and their schemas from the API's JSON options. Functions are not ASP.NET Core endpoints, so
/// the framework's own generator sees none of them.
/// </summary>
public static partial class OpenApiDocumentBuilder
{
    public const string FunctionKeyScheme = "functionKey";

    private static readonly JsonSchemaExporterOptions SchemaOptions = new() { TransformSchemaNode = DescribeEnums };

    public static JsonObject Build(Assembly assembly, JsonSerializerOptions jsonOptions)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        var paths = new JsonObject();
        foreach (var (function, trigger, method) in HttpFunctions(assembly).OrderBy(f => f.Trigger.Route, StringComparer.Ordinal))
        {
            var path = Routes.PathOf(trigger.Route!);
            if (paths[path] is not JsonObject item)
            {
                paths[path] = item = [];
            }
            var methods = trigger.Methods ?? [];
            foreach (var verb in methods.Select(m => m.ToLowerInvariant()))
            {
                item[verb] = Operation(trigger, method, methods.Length == 1 ? function.Name : function.Name + Pascal(verb), jsonOptions);
            }
        }
        // No "servers": behind the Functions host the app cannot know its public URL, and without
        // them clients resolve paths against the document's own URL.
        return new JsonObject
        {
            ["openapi"] = "3.1.1",
            ["info"] = new JsonObject
            {
                ["title"] = "Likeness Search API",
                ["version"] = "1",
                ["description"] = "Search over licensed talent likenesses, lookalikes, media delivery and the indexing queue. "
                    + "Functions with authLevel 'function' need a function key, in the x-functions-key header or the code query parameter.",
            },
            ["paths"] = paths,
            ["components"] = new JsonObject
            {
                ["securitySchemes"] = new JsonObject
                {
                    [FunctionKeyScheme] = new JsonObject
                    {
                        ["type"] = "apiKey",
                        ["in"] = "header",
                        ["name"] = "x-functions-key",
                        ["description"] = "An Azure Functions function key; the host also accepts it as the 'code' query parameter.",
                    },
                },
            },
        };
    }

    /// <summary>Every HTTP-triggered function of the assembly, as the worker's metadata generator finds them.</summary>
    public static IEnumerable<(FunctionAttribute Function, HttpTriggerAttribute Trigger, MethodInfo Method)> HttpFunctions(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        return from type in assembly.GetTypes()
               from method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static)
               let function = method.GetCustomAttribute<FunctionAttribute>()
               let trigger = method.GetParameters().Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).FirstOrDefault(t => t is not null)
               where function is not null && trigger is not null
               select (function, trigger, method);
    }

    private static JsonObject Operation(HttpTriggerAttribute trigger, MethodInfo method, string operationId, JsonSerializerOptions jsonOptions)
    {
        var operation = new JsonObject { ["operationId"] = operationId };
        var parameters = new JsonArray();
        foreach (var name in RouteParameter().Matches(trigger.Route ?? "").Select(m => m.Groups[1].Value))
        {
            parameters.Add(new JsonObject { ["name"] = name, ["in"] = "path", ["required"] = true, ["schema"] = new JsonObject { ["type"] = "string" } });
        }
        if (parameters.Count > 0)
        {
            operation["parameters"] = parameters;
        }
        var responses = new JsonObject();
        foreach (var produces in ResponseMetadata(method))
        {
            responses[produces.StatusCode.ToString(CultureInfo.InvariantCulture)] = Response(produces, jsonOptions);
        }
        if (trigger.AuthLevel != AuthorizationLevel.Anonymous)
        {
            operation["security"] = new JsonArray(new JsonObject { [FunctionKeyScheme] = new JsonArray() });
            responses["401"] = new JsonObject { ["description"] = "No valid function key (answered by the Functions host)." };
        }
        operation["responses"] = responses;
        return operation;
    }

    private static JsonObject Response(IProducesResponseTypeMetadata produces, JsonSerializerOptions jsonOptions)
    {
        var response = new JsonObject { ["description"] = produces.Description ?? ReasonPhrases.GetReasonPhrase(produces.StatusCode) };
        if (produces.Type is not { } type || type == typeof(void))
        {
            return response;
        }
        var schema = type == typeof(Stream)
            ? new JsonObject { ["type"] = "string", ["contentMediaType"] = "application/octet-stream" }
            : JsonSchemaExporter.GetJsonSchemaAsNode(jsonOptions, type, SchemaOptions);
        var content = new JsonObject();
        foreach (var contentType in produces.ContentTypes.DefaultIfEmpty("application/json"))
        {
            content[contentType] = new JsonObject { ["schema"] = schema.DeepClone() };
        }
        response["content"] = content;
        return response;
    }

    /// <summary>
    /// What the method's typed result says it produces (<c>Results&lt;Ok&lt;T&gt;, ValidationProblem&gt;</c>),
    /// then its <c>[ProducesResponseType]</c> attributes for what a status code alone cannot say.
    /// </summary>
    private static IEnumerable<IProducesResponseTypeMetadata> ResponseMetadata(MethodInfo method)
    {
        var resultType = method.ReturnType.IsGenericType && method.ReturnType.GetGenericTypeDefinition() == typeof(Task<>)
            ? method.ReturnType.GetGenericArguments()[0]
            : method.ReturnType;
        var builder = new RouteEndpointBuilder(null, RoutePatternFactory.Parse("/"), 0);
        if (typeof(IEndpointMetadataProvider).IsAssignableFrom(resultType))
        {
            typeof(OpenApiDocumentBuilder).GetMethod(nameof(Populate), BindingFlags.NonPublic | BindingFlags.Static)!
                .MakeGenericMethod(resultType)
                .Invoke(null, [method, builder]);
        }
        return method.GetCustomAttributes().OfType<IApiResponseMetadataProvider>().Select(FromAttribute)
            .Concat(builder.Metadata.OfType<IProducesResponseTypeMetadata>())
            .DistinctBy(m => m.StatusCode)
            .OrderBy(m => m.StatusCode);
    }

    private static ProducesResponseTypeMetadata FromAttribute(IApiResponseMetadataProvider attribute)
    {
        var contentTypes = new MediaTypeCollection();
        attribute.SetContentTypes(contentTypes);
        return new ProducesResponseTypeMetadata(attribute.StatusCode, attribute.Type == typeof(void) ? null : attribute.Type, [.. contentTypes]);
    }

    /// <summary>
    /// Enums are written by the API's converter as their database labels, which the exporter cannot
    /// see through (it answers "anything"): list the labels instead.
    /// </summary>
    private static JsonNode DescribeEnums(JsonSchemaExporterContext context, JsonNode schema)
    {
        if (schema is JsonValue)
        {
            // "true", JSON Schema's "any value" (a JsonElement), which OpenAPI readers want as an empty schema.
            return new JsonObject();
        }
        var type = context.TypeInfo.Type;
        if ((Nullable.GetUnderlyingType(type) ?? type) is not { IsEnum: true } enumType)
        {
            return schema;
        }
        var labels = (IEnumerable<string>)typeof(DbEnum<>).MakeGenericType(enumType).GetProperty(nameof(DbEnum<QueueStatus>.AllLabels))!.GetValue(null)!;
        var values = new JsonArray([.. labels.Select(label => (JsonNode)label)]);
        var nullable = Nullable.GetUnderlyingType(type) is not null;
        if (nullable)
        {
            values.Add(null);
        }
        return new JsonObject { ["type"] = nullable ? new JsonArray("string", "null") : "string", ["enum"] = values };
    }

    private static void Populate<TResult>(MethodInfo method, EndpointBuilder builder) where TResult : IEndpointMetadataProvider =>
        TResult.PopulateMetadata(method, builder);

    private static string Pascal(string method) => string.Concat(method[..1].ToUpperInvariant(), method[1..]);

    [GeneratedRegex(@"\{([A-Za-z_][A-Za-z0-9_]*)(?::[^}]*)?\}")]
    private static partial Regex RouteParameter();
}
