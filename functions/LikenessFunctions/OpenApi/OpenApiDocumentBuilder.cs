using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Likeness.Shared.Search;
using LikenessFunctions.Http;
using LikenessFunctions.Search;
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
/// the HTTP trigger, the function key from its auth level, the tag from the class's <c>[Tags]</c>,
/// the search's parameters and body from the attribute catalogue and the request's field
/// declarations, other bodies from <c>[Consumes]</c>, responses from the typed result the method
/// returns (the same <see cref="IEndpointMetadataProvider"/> metadata ASP.NET Core reads) and from
/// what <see cref="HttpFailureMiddleware"/> answers for every function, and their schemas from the
/// API's JSON options. Functions are not ASP.NET Core endpoints, so the framework's own generator
/// sees none of them.
/// </summary>
public static partial class OpenApiDocumentBuilder
{
    public const string FunctionKeyScheme = "functionKey";

    /// <summary>The component holding the search's JSON body.</summary>
    private const string SearchRequestSchema = "SearchRequest";

    public static JsonObject Build(Assembly assembly, JsonSerializerOptions jsonOptions, SearchOptions searchOptions)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        ArgumentNullException.ThrowIfNull(searchOptions);
        var schemas = new SchemaComponents(jsonOptions);
        var context = new DocumentContext(schemas, jsonOptions, searchOptions);
        var paths = new JsonObject();
        var tags = new SortedSet<string>(StringComparer.Ordinal);
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
                var operation = Operation(context, function.Name, trigger, method, verb, methods.Length == 1 ? function.Name : function.Name + Pascal(verb));
                item[verb] = operation;
                tags.UnionWith(operation["tags"]!.AsArray().Select(t => (string)t!));
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
                    + "Functions with authLevel 'function' need a function key, in the x-functions-key header or the code query parameter. "
                    + "Every 4xx is application/problem+json whose errors map names the field at fault.",
            },
            ["tags"] = new JsonArray([.. tags.Select(tag => (JsonNode)new JsonObject { ["name"] = tag })]),
            ["paths"] = paths,
            ["components"] = new JsonObject
            {
                ["schemas"] = schemas.ToJson(),
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

    private sealed record DocumentContext(SchemaComponents Schemas, JsonSerializerOptions Json, SearchOptions Search);

    private static JsonObject Operation(DocumentContext context, string function, HttpTriggerAttribute trigger, MethodInfo method, string verb, string operationId)
    {
        var tag = (method.GetCustomAttribute<TagsAttribute>() ?? method.DeclaringType!.GetCustomAttribute<TagsAttribute>())?.Tags
            ?? throw new InvalidOperationException($"{function} has no [Tags]: say which capability it belongs to.");
        var operation = new JsonObject { ["operationId"] = operationId, ["tags"] = new JsonArray([.. tag.Select(t => (JsonNode)t)]) };
        if (method.GetCustomAttribute<EndpointSummaryAttribute>() is { } summary)
        {
            operation["summary"] = summary.Summary;
        }
        var parameters = new JsonArray();
        foreach (var name in RouteParameter().Matches(trigger.Route ?? "").Select(m => m.Groups[1].Value))
        {
            parameters.Add(new JsonObject { ["name"] = name, ["in"] = "path", ["required"] = true, ["schema"] = new JsonObject { ["type"] = "string" } });
        }
        var searchFields = method.GetCustomAttribute<TakesSearchFieldsAttribute>();
        if (searchFields is not null && verb == "get")
        {
            foreach (var parameter in SearchContract.QueryParameters(searchFields.Lookalike, context.Search))
            {
                parameters.Add(parameter!.DeepClone());
            }
        }
        if (parameters.Count > 0)
        {
            operation["parameters"] = parameters;
        }
        var example = OperationExamples.For(function);
        if (verb == "post" && RequestBody(context, method, searchFields) is { } body)
        {
            if (example?.Request is { } request)
            {
                body["content"]!["application/json"]!["example"] = JsonNode.Parse(request);
            }
            operation["requestBody"] = body;
        }
        var responses = new JsonObject();
        // Only a body can be too large or of the wrong type.
        foreach (var produces in ResponseMetadata(method).Where(r => verb == "post" || r.StatusCode is not (StatusCodes.Status413PayloadTooLarge or StatusCodes.Status415UnsupportedMediaType)))
        {
            var response = Response(produces, context.Schemas);
            if (example is { } e && e.Status == produces.StatusCode && response["content"] is JsonObject content)
            {
                foreach (var (_, media) in content)
                {
                    media!["example"] = OperationExamples.ToJson(e.Response, context.Json);
                }
            }
            responses[produces.StatusCode.ToString(CultureInfo.InvariantCulture)] = response;
        }
        if (trigger.AuthLevel != AuthorizationLevel.Anonymous)
        {
            operation["security"] = new JsonArray(new JsonObject { [FunctionKeyScheme] = new JsonArray() });
            responses["401"] = new JsonObject { ["description"] = "No valid function key (answered by the Functions host)." };
        }
        operation["responses"] = new JsonObject([.. responses.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => KeyValuePair.Create(r.Key, r.Value?.DeepClone()))]);
        return operation;
    }

    /// <summary>The search's fields for a search function; the <c>[Consumes]</c> type for another.</summary>
    private static JsonObject? RequestBody(DocumentContext context, MethodInfo method, TakesSearchFieldsAttribute? searchFields)
    {
        var schema = searchFields is not null
            ? context.Schemas.Add(SearchRequestSchema, SearchContract.Body(context.Search))
            : method.GetCustomAttributes().OfType<IAcceptsMetadata>().FirstOrDefault() is { RequestType: { } type } ? context.Schemas.SchemaOf(type, read: true) : null;
        return schema is null ? null : new JsonObject
        {
            ["required"] = true,
            ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = schema } },
        };
    }

    private static JsonObject Response(IProducesResponseTypeMetadata produces, SchemaComponents schemas)
    {
        var response = new JsonObject { ["description"] = produces.Description ?? ReasonPhrases.GetReasonPhrase(produces.StatusCode) };
        if (produces.Type is not { } type || type == typeof(void))
        {
            return response;
        }
        var content = new JsonObject();
        foreach (var contentType in produces.ContentTypes.DefaultIfEmpty("application/json"))
        {
            var schema = type == typeof(Stream)
                ? new JsonObject { ["type"] = "string", ["contentMediaType"] = contentType }
                : schemas.SchemaOf(type);
            content[contentType] = new JsonObject { ["schema"] = schema };
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
            .Concat(HttpFailureMiddleware.Responses)
            .DistinctBy(m => m.StatusCode)
            .OrderBy(m => m.StatusCode);
    }

    private static ProducesResponseTypeMetadata FromAttribute(IApiResponseMetadataProvider attribute)
    {
        var contentTypes = new MediaTypeCollection();
        attribute.SetContentTypes(contentTypes);
        return new ProducesResponseTypeMetadata(attribute.StatusCode, attribute.Type == typeof(void) ? null : attribute.Type, [.. contentTypes]);
    }

    private static void Populate<TResult>(MethodInfo method, EndpointBuilder builder) where TResult : IEndpointMetadataProvider =>
        TResult.PopulateMetadata(method, builder);

    private static string Pascal(string method) => string.Concat(method[..1].ToUpperInvariant(), method[1..]);

    [GeneratedRegex(@"\{([A-Za-z_][A-Za-z0-9_]*)(?::[^}]*)?\}")]
    private static partial Regex RouteParameter();
}
