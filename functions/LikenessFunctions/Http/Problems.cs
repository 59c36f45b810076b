using Microsoft.AspNetCore.Http.HttpResults;

namespace LikenessFunctions.Http;

/// <summary>
/// The API's one error shape beyond 400's ValidationProblem: problem+json whose <c>errors</c> map
/// names the field at fault, as a ValidationProblem does, so a client reads every 4xx alike.
/// </summary>
public static class Problems
{
    public static ProblemHttpResult Fields(int status, string title, FieldErrors errors, string? detail = null)
    {
        ArgumentNullException.ThrowIfNull(errors);
        return TypedResults.Problem(statusCode: status, title: title, detail: detail,
            extensions: new Dictionary<string, object?> { ["errors"] = errors.ToDictionary() });
    }

    /// <summary>404 saying what was not found and which field (a path value or a body field) named it.</summary>
    public static ProblemHttpResult NotFound(string title, string field, string message)
    {
        var errors = new FieldErrors();
        errors.Add(field, message);
        return Fields(StatusCodes.Status404NotFound, title, errors, message);
    }
}
