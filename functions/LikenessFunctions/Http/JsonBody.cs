using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;

namespace LikenessFunctions.Http;

/// <summary>
/// Reads a JSON request body into a document, turning every way it can be wrong (too large,
/// not JSON, not an object) into a field error named "body" rather than an exception.
/// </summary>
public static class JsonBody
{
    public const long MaxBytes = 64 * 1024;

    public static async Task<(JsonElement Root, FieldErrors Errors)> ReadObjectAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.ContentLength > MaxBytes)
        {
            return Fail($"The body is larger than {MaxBytes} bytes.");
        }
        // A chunked body has no length to check up front: the server stops reading it at the cap (413 below).
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxBytes;
        }
        try
        {
            using var document = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken);
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? (document.RootElement.Clone(), new FieldErrors())
                : Fail("The body must be a JSON object.");
        }
        catch (JsonException)
        {
            return Fail("The body is not valid JSON.");
        }
        catch (BadHttpRequestException error) when (error.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return Fail($"The body is larger than {MaxBytes} bytes.");
        }
    }

    private static (JsonElement, FieldErrors) Fail(string message)
    {
        var errors = new FieldErrors();
        errors.Add("body", message);
        return (default, errors);
    }
}
