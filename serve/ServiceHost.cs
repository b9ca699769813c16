using Custom.Serve.Api;
using Custom.Serve.Models;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Json;
using Scalar.AspNetCore;

namespace Custom.Serve;

/// Builds the web application: Kestrel on the configured URLs, the API, the OpenAPI document and reference page,
/// and the page at '/'. The caller runs it and owns the model catalog.
internal static class ServiceHost
{
    public static WebApplication Build(ServeOptions options, ModelCatalog catalog, Action<WebApplicationBuilder>? configure = null)
    {
        // Production always: no developer exception page, so no stack trace ever reaches a client.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production, Args = [] });
        builder.WebHost.UseUrls(options.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

        // RequestBody enforces the configured limit with a problem+json answer; Kestrel's own (30 MB) would answer
        // a bare 413 first.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = null);
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(10));
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Services.Configure<JsonOptions>(json =>
        {
            // The OpenAPI document describes the contracts with these options: the same names as ServeJson writes.
            json.SerializerOptions.TypeInfoResolverChain.Insert(0, ServeJson.Default);
            json.SerializerOptions.PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower;
            json.SerializerOptions.DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull;
        });
        builder.Services.AddProblemDetails(problems => problems.CustomizeProblemDetails = context => context.ProblemDetails.Detail ??= Explain(context.HttpContext));
        builder.Services.AddOpenApi(openApi => openApi.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Custom — urban sound classification";
            document.Info.Description = "Classifies AudioSet VGGish embedding clips (JSON frames or TFRecord files) and, with an audio front end, sound files.";
            return Task.CompletedTask;
        }));
        configure?.Invoke(builder);

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRouting(); // after the exception handler, so even a routing failure answers problem+json
        MapApi(app, options, catalog);
        app.MapOpenApi();
        app.MapScalarApiReference("/docs", scalar => scalar.WithTitle("Custom API").DisableDefaultFonts());
        PageEndpoints.Map(app);
        return app;
    }

    /// The detail of answers no endpoint wrote itself (unknown address, wrong method, unexpected failure).
    private static string Explain(HttpContext http) => http.Response.StatusCode switch
    {
        StatusCodes.Status404NotFound => $"no {http.Request.Method} {http.Request.Path} here; the API is described at /openapi/v1.json and /docs",
        StatusCodes.Status405MethodNotAllowed => $"{http.Request.Method} {http.Request.Path} is not allowed; the API is described at /openapi/v1.json and /docs",
        >= 500 => "the server failed to answer this request; it is logged on the server",
        _ => "see /openapi/v1.json for the API",
    };

    private static void MapApi(WebApplication app, ServeOptions options, ModelCatalog catalog)
    {
        var predict = new PredictEndpoint(catalog, options);
        // Routing ignores a trailing slash: this also answers POST /predict/, the address of the original C.U.S.T.O.M. service.
        app.MapPost("/predict", (Func<HttpContext, Task<IResult>>)predict.HandleAsync)
            .AddOpenApiOperationTransformer(PredictDocumentation.DescribeBody)
            .Produces<PredictResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status501NotImplemented)
            .WithName("Predict")
            .WithTags("Predictions")
            .WithSummary("Classify clips")
            .WithDescription(
                "JSON clips of 1–10 VGGish frames (128 integers 0–255 each); a .tfrecord file of AudioSet SequenceExamples " +
                "(application/octet-stream or multipart field 'tfrecord'); or a sound file (multipart field 'audio', with an audio " +
                "front end). ?model=NAME picks a model (default: the first loaded). One prediction per clip or 10-second window, in order. " +
                "An open-set model (GET /models: open_set) may answer \"other\", none of its classes; its predictions say so in \"other\": true|false.");

        if (options.BareEndpoint)
        {
            app.MapPost("/bench/bare", (Func<HttpContext, Task<IResult>>)predict.HandleBareAsync).ExcludeFromDescription();
        }

        var models = new ModelsResponse(catalog.All.Select(m => m.Description).ToList(), options.AudioFrontEnd is not null);
        app.MapGet("/models", () => TypedResults.Json(models, ServeJson.Default.ModelsResponse))
            .WithTags("Models")
            .WithSummary("Loaded models: names, classes, trainer and headline metrics; and whether audio uploads are accepted");
        app.MapGet("/healthz", () => TypedResults.Json(new HealthResponse("healthy"), ServeJson.Default.HealthResponse))
            .WithTags("Health")
            .WithSummary("Liveness: the process answers");
        app.MapGet("/readyz", (IHostApplicationLifetime lifetime) => lifetime.ApplicationStopping.IsCancellationRequested
                ? Results.Problem("the server is shutting down", statusCode: StatusCodes.Status503ServiceUnavailable, title: "Stopping")
                : TypedResults.Json(new HealthResponse("ready"), ServeJson.Default.HealthResponse))
            .Produces<HealthResponse>()
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithTags("Health")
            .WithSummary("Readiness: models loaded and not shutting down");
    }
}
