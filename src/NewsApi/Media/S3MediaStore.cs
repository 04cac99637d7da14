using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace NewsApi.Media;

/// <summary>Any S3-compatible object store (AWS, MinIO, Ceph, R2), one object per key in Media:S3:Bucket.</summary>
internal sealed class S3MediaStore(S3StorageOptions options) : IMediaStore, IDisposable
{
    // Without keys in the settings, the SDK's own chain finds them (environment, profile, instance role).
    readonly AmazonS3Client _client = options.AccessKey is { Length: > 0 } key
        ? new(new BasicAWSCredentials(key, options.SecretKey), Config(options))
        : new(Config(options));

    static AmazonS3Config Config(S3StorageOptions o)
    {
        var config = new AmazonS3Config
        {
            AuthenticationRegion = o.Region,
            ForcePathStyle = o.ForcePathStyle,
            // Checksums only where S3 requires them: many compatible stores know no trailing-checksum uploads.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        if (string.IsNullOrEmpty(o.ServiceUrl))
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(o.Region);
        else
            config.ServiceURL = o.ServiceUrl;
        return config;
    }

    public async Task EnsureBucketAsync(CancellationToken ct)
    {
        try
        {
            await _client.PutBucketAsync(new PutBucketRequest { BucketName = options.Bucket }, ct);
        }
        catch (AmazonS3Exception e) when (e.ErrorCode is "BucketAlreadyOwnedByYou" or "BucketAlreadyExists")
        {
        }
    }

    public async Task PutAsync(string key, Stream content, string contentType, CancellationToken ct) =>
        await _client.PutObjectAsync(new PutObjectRequest
        {
            BucketName = options.Bucket, Key = key, InputStream = content, ContentType = contentType,
            AutoCloseStream = false, UseChunkEncoding = false,
        }, ct);

    public async Task<Stream?> OpenAsync(string key, CancellationToken ct)
    {
        try
        {
            return new S3ObjectStream(await _client.GetObjectAsync(options.Bucket, key, ct));
        }
        catch (AmazonS3Exception e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task DeletePrefixAsync(string prefix, CancellationToken ct)
    {
        string? token = null;
        do
        {
            var page = await _client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = options.Bucket, Prefix = prefix, ContinuationToken = token }, ct);
            foreach (var item in page.S3Objects ?? [])
                await _client.DeleteObjectAsync(options.Bucket, item.Key, ct);
            token = page.IsTruncated == true ? page.NextContinuationToken : null;
        } while (token is not null);
    }

    public void Dispose() => _client.Dispose();
}

/// <summary>
/// An object's bytes that own the GetObject response they come from: disposing the stream disposes the response
/// (and with it the HTTP response), which handing out only its ResponseStream left to the finalizer.
/// </summary>
internal sealed class S3ObjectStream(GetObjectResponse response) : Stream
{
    public GetObjectResponse Response => response;

    Stream Body => response.ResponseStream ?? throw new ObjectDisposedException(nameof(S3ObjectStream));

    public override bool CanRead => response.ResponseStream?.CanRead ?? false;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Body.Read(buffer, offset, count);
    public override int Read(Span<byte> buffer) => Body.Read(buffer);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Body.ReadAsync(buffer, offset, count, cancellationToken);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Body.ReadAsync(buffer, cancellationToken);

    public override Task CopyToAsync(Stream destination, int bufferSize, CancellationToken cancellationToken) =>
        Body.CopyToAsync(destination, bufferSize, cancellationToken);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            response.Dispose();
        base.Dispose(disposing);
    }

    public override ValueTask DisposeAsync()
    {
        response.Dispose();
        return base.DisposeAsync();
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
