# syntax=docker/dockerfile:1
# AiGrpc service image. Build: `make image` (docker build -t aigrpc:dev .). Base tags are pinned to the
# SDK and runtime the project builds and tests with (global.json / `dotnet --list-runtimes`).

FROM mcr.microsoft.com/dotnet/sdk:10.0.401 AS build
WORKDIR /src
# Restore first, from the project files only, so that the layer is reused while only code changes.
# .editorconfig: the analyzer settings every other build uses (warnings are errors here too).
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/AiGrpc.Contracts/AiGrpc.Contracts.csproj src/AiGrpc.Contracts/
COPY src/AiGrpc.Server/AiGrpc.Server.csproj src/AiGrpc.Server/
COPY src/AiGrpc.Analytics/AiGrpc.Analytics.csproj src/AiGrpc.Analytics/
COPY src/AiGrpc.Validation/AiGrpc.Validation.csproj src/AiGrpc.Validation/
COPY src/AiGrpc.Payroll/AiGrpc.Payroll.csproj src/AiGrpc.Payroll/
COPY src/AiGrpc.Common/AiGrpc.Common.csproj src/AiGrpc.Common/
# PublishReadyToRun must be known at restore time, or publish --no-restore fails with NETSDK1094.
RUN dotnet restore src/AiGrpc.Server -r linux-x64 -p:PublishReadyToRun=true
COPY protos/ protos/
COPY src/ src/
# Exactly `make publish`: ReadyToRun, framework-dependent, linux-x64.
RUN dotnet publish src/AiGrpc.Server -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o /app --no-restore

FROM mcr.microsoft.com/dotnet/aspnet:10.0.12 AS runtime
WORKDIR /app
COPY --from=build /app ./
ENV ASPNETCORE_ENVIRONMENT=Production \
    Server__ListenAddress=0.0.0.0 \
    Server__RestPort=8002 \
    Server__GrpcPort=50051 \
    DOTNET_EnableDiagnostics=0
# EnableDiagnostics=0: no diagnostic IPC socket in /tmp, so a read-only root filesystem (plus the
# emptyDir /tmp of the Deployment) is enough.
EXPOSE 8002 50051
# The image's non-root user (UID 1654, "app"); the Deployment runs as the same UID.
USER $APP_UID
# No curl or wget in the aspnet image: bash's /dev/tcp asks /live for its status line.
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
    CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8002 && printf 'GET /live HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && head -n1 <&3 | grep -q ' 200 '"]
ENTRYPOINT ["dotnet", "AiGrpc.Server.dll"]
