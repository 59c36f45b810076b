using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace LikenessFunctions.Http;

/// <summary>A request body read as a JSON object: the root, or what was wrong with it and the status that says so.</summary>
public readonly record struct JsonBodyRead(JsonElement Root, FieldErrors Errors, int Status);

/// <summary>
/// Reads a JSON request body into a document, turning every way it can be wrong (no JSON content
/// type, too large, not JSON, not an object, a string that is not valid Unicode or holds NUL, a
/// property given twice at any depth) into a field error rather than an exception.
/// </summary>
public static class JsonBody
{
    public const long MaxBytes = 64 * 1024;

    public const string ContentTypeField = "Content-Type";

    public static async Task<JsonBodyRead> ReadObjectAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.ContentLength == 0)
        {
            return Fail("body", "The body is empty: send a JSON object.");
        }
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type) || !type.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || (type.Charset.HasValue && !type.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase)))
        {
            return Fail(ContentTypeField, "Must be application/json (UTF-8).", StatusCodes.Status415UnsupportedMediaType);
        }
        if (request.ContentLength > MaxBytes)
        {
            return TooLarge();
        }
        // A chunked body has no length to check up front: the server stops reading it at the cap (413 below).
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxBytes;
        }
        try
        {
            using var document = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return Fail("body", "The body must be a JSON object.");
            }
            var errors = new FieldErrors();
            CheckStrings(document.RootElement, field: null, errors);
            return new JsonBodyRead(document.RootElement.Clone(), errors, errors.Any ? StatusCodes.Status400BadRequest : StatusCodes.Status200OK);
        }
        catch (JsonException)
        {
            return Fail("body", "The body is not valid JSON.");
        }
        catch (BadHttpRequestException error) when (error.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TooLarge();
        }
    }

    /// <summary>
    /// The answer to a body refused before its fields were looked at: 413 (too large) or 415 (not
    /// JSON), in the shape of every other 4xx; null when the body was read (its field errors, if
    /// any, are a 400 ValidationProblem).
    /// </summary>
    public static ProblemHttpResult? Refusal(JsonBodyRead read) => read.Status switch
    {
        StatusCodes.Status413PayloadTooLarge => Problems.Fields(read.Status, "Body too large", read.Errors),
        StatusCodes.Status415UnsupportedMediaType => Problems.Fields(read.Status, "Unsupported content type", read.Errors),
        _ => null,
    };

    private static JsonBodyRead TooLarge() => Fail("body", $"The body is larger than {MaxBytes} bytes.", StatusCodes.Status413PayloadTooLarge);

    /// <summary>Every property name and string value, at any depth; errors are named after the top-level field they are in.</summary>
    private static void CheckStrings(JsonElement element, string? field, FieldErrors errors)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var names = new HashSet<string>(StringComparer.Ordinal);
                foreach (var property in element.EnumerateObject())
                {
                    if (Decode(() => property.Name, field ?? "body", errors) is not { } name)
                    {
                        continue;
                    }
                    var at = field ?? name;
                    if (!names.Add(name))
                    {
                        errors.Add(at, "Given more than once.");
                    }
                    CheckStrings(property.Value, at, errors);
                }
                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    CheckStrings(item, field, errors);
                }
                break;
            case JsonValueKind.String:
                Decode(element.GetString, field ?? "body", errors);
                break;
        }
    }

    /// <returns>The text, or null (with an error) when it is not valid Unicode or holds NUL.</returns>
    private static string? Decode(Func<string?> read, string field, FieldErrors errors)
    {
        string? text;
        try
        {
            text = read();
        }
        catch (InvalidOperationException)
        {
            // A lone surrogate escape ("\ud800") or bytes that are not UTF-8.
            errors.Add(field, "Not valid Unicode text.");
            return null;
        }
        if (text is not null && InputRules.HasNul(text))
        {
            errors.Add(field, "Must not contain NUL characters.");
            return null;
        }
        return text;
    }

    private static JsonBodyRead Fail(string field, string message, int status = StatusCodes.Status400BadRequest)
    {
        var errors = new FieldErrors();
        errors.Add(field, message);
        return new JsonBodyRead(default, errors, status);
    }
}
