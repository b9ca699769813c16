using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Custom.Serve.Api;

/// The request body of POST /predict in the OpenAPI document. Written here rather than as Accepts metadata, which
/// routing would enforce with a bare 415 before the handler could explain what is accepted.
internal static class PredictDocumentation
{
    public static async Task DescribeBody(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var clips = await context.GetOrCreateSchemaAsync(typeof(PredictRequest), null, cancellationToken);
        var binary = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" };
        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Description = "JSON clips, a .tfrecord file, or a multipart upload with one file field: 'tfrecord' or 'audio'.",
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/json"] = new() { Schema = clips },
                ["application/octet-stream"] = new() { Schema = binary },
                ["multipart/form-data"] = new()
                {
                    Schema = new OpenApiSchema
                    {
                        Type = JsonSchemaType.Object,
                        Properties = new Dictionary<string, IOpenApiSchema>
                        {
                            [PredictEndpoint.TfRecordField] = binary,
                            [PredictEndpoint.AudioField] = binary,
                        },
                    },
                },
            },
        };
        operation.Parameters ??= [];
        operation.Parameters.Add(new OpenApiParameter
        {
            Name = "model",
            In = ParameterLocation.Query,
            Required = false,
            Description = "Model name from GET /models; default: the first loaded",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String },
        });
    }
}
