namespace NewsApi.Api;

/// <summary>
/// 200 with a body already rendered (by a feed's writer, or a read converted to another script) and its exact media type. The endpoints name
/// their media types for OpenAPI themselves: one result type serves formats whose schemas are not C# types.
/// </summary>
internal sealed class DocumentResult(byte[] body, string contentType) : IResult, IStatusCodeHttpResult
{
    public int? StatusCode => StatusCodes.Status200OK;
    public string ContentType => contentType;
    public byte[] Body => body;

    public Task ExecuteAsync(HttpContext http)
    {
        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = contentType;
        http.Response.ContentLength = body.Length;
        return http.Response.Body.WriteAsync(body, http.RequestAborted).AsTask();
    }
}
