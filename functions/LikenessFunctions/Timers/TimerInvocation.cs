using System.Text.Json.Serialization;

namespace LikenessFunctions.Timers;

/// <summary>
/// The custom-handler protocol for non-HTTP triggers: the host POSTs
/// <c>{"Data":{"timer":{"IsPastDue":..}},"Metadata":{..}}</c> to <c>/{FunctionName}</c> and reads
/// <c>{"Outputs":{},"Logs":[..],"ReturnValue":null}</c> back.
/// </summary>
public sealed record TimerInvocationRequest(
    [property: JsonPropertyName("Data")] Dictionary<string, TimerInfo>? Data);

public sealed record TimerInfo([property: JsonPropertyName("IsPastDue")] bool IsPastDue);

public sealed record TimerInvocationResponse(
    [property: JsonPropertyName("Outputs")] Dictionary<string, object> Outputs,
    [property: JsonPropertyName("Logs")] IReadOnlyList<string> Logs,
    [property: JsonPropertyName("ReturnValue"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] object? ReturnValue);
