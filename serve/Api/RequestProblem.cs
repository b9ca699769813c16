namespace Custom.Serve.Api;

/// A request the service refuses: becomes an RFC 7807 problem+json answer with this status and detail.
internal sealed class RequestProblem(int status, string title, string detail) : Exception(detail)
{
    public int Status { get; } = status;

    public string Title { get; } = title;

    public static RequestProblem BadRequest(string detail) => new(StatusCodes.Status400BadRequest, "Bad request", detail);

    public IResult ToResult() => TypedResults.Problem(Message, statusCode: Status, title: Title);
}
