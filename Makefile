# AiGrpc: the commands people and CI run. `make help` lists them.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
DOTNET ?= dotnet
CONFIGURATION ?= Release
SOLUTION := AiGrpc.slnx
BUF := build/tools/node_modules/.bin/buf
RESULTS := build/test-results
export DOTNET_NOLOGO := 1
export DOTNET_CLI_TELEMETRY_OPTOUT := 1

.PHONY: image-check help run test deps build lint unit integration e2e api-test pack publish clean alerts k8s image
.PHONY: gates shell-lint yaml-lint secret-scan trivyignore-check audit sbom shell-tests

help: ## List the targets
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-14s %s\n", $$1, $$2}'

run: ## Run the service on embedded defaults (REST :8002, gRPC :50051; no Redis, LLM or Jaeger). AUTH_KEY=k requires that key
	@ASPNETCORE_ENVIRONMENT=Development $(if $(AUTH_KEY),Auth__ApiKeys__local='$(AUTH_KEY)') $(DOTNET) run --project src/AiGrpc.Server -c $(CONFIGURATION)

test: deps lint gates alerts k8s image-check build audit sbom shell-tests unit integration e2e api-test ## Install what tests need, lint, supply-chain gates, check alerts, manifests and the Dockerfile build, build, run every test layer and the REST API checks
	@scripts/test-summary.sh $(RESULTS)

deps: ## Install test dependencies that are missing (apt-get, npm)
	scripts/install-test-deps.sh

build: ## Build everything; warnings are errors
	$(DOTNET) build $(SOLUTION) -c $(CONFIGURATION) -warnaserror

lint: ## buf lint (STANDARD + COMMENTS), offline
	scripts/buf-deps.sh
	$(BUF) lint

unit: ## Layer 1: engines and pure logic
	$(DOTNET) test tests/AiGrpc.UnitTests -c $(CONFIGURATION) --no-build --logger "trx;LogFileName=unit.trx" --results-directory $(RESULTS)

integration: ## Layer 2: in-process host (WebApplicationFactory)
	$(DOTNET) test tests/AiGrpc.IntegrationTests -c $(CONFIGURATION) --no-build --logger "trx;LogFileName=integration.trx" --results-directory $(RESULTS)

e2e: ## Layer 3: the real server process on loopback, client library, real Redis
	$(DOTNET) test tests/AiGrpc.EndToEndTests -c $(CONFIGURATION) --no-build --logger "trx;LogFileName=e2e.trx" --results-directory $(RESULTS)

api-test: ## The real server on loopback: Spectral lints its OpenAPI document (.spectral.yaml), newman runs the Postman collection (examples/postman)
	RESULTS=$(RESULTS) scripts/api-test.sh

pack: ## NuGet packages of the client library and contracts into build/packages
	$(DOTNET) pack src/AiGrpc.Contracts -c $(CONFIGURATION) -o build/packages
	$(DOTNET) pack src/AiGrpc.Client -c $(CONFIGURATION) -o build/packages

publish: ## The publish the Dockerfile runs (ReadyToRun, linux-x64) into build/publish
	$(DOTNET) publish src/AiGrpc.Server -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o build/publish

alerts: ## promtool: check the alert rules and run their unit tests (k8s/monitoring)
	promtool check rules k8s/monitoring/aigrpc-alerts.rules.yaml
	cd k8s/monitoring && promtool test rules aigrpc-alerts.test.yaml

k8s: ## Render every kustomize overlay (kubectl kustomize) into build/k8s
	mkdir -p build/k8s
	kubectl kustomize k8s/base > build/k8s/base.yaml
	for overlay in k8s/overlays/*/; do name=$$(basename $$overlay); kubectl kustomize $$overlay > build/k8s/$$name.yaml; echo "rendered $$overlay -> build/k8s/$$name.yaml"; done

image-check: ## Replay the Dockerfile's build stage without Docker (its COPY and RUN lines, in a temp folder)
	scripts/dockerfile-build-check.sh

# ---------------------------------------------------------------------------------------------
# Supply chain (issue 22): each gate fails the build; tests/shell shows each one failing on a planted problem.
# ---------------------------------------------------------------------------------------------
gates: shell-lint yaml-lint secret-scan trivyignore-check ## Static gates: shellcheck, yamllint, secretlint, the image scan's ignore file

shell-lint: ## shellcheck every shell script of the tree
	scripts/shell-lint.sh

yaml-lint: ## yamllint every YAML file of the tree (.yamllint.yaml, warnings are errors)
	scripts/yaml-lint.sh

secret-scan: ## secretlint over the tree (.secretlintrc.json; test keys allowed by exact value)
	scripts/secret-scan.sh

trivyignore-check: ## Every accepted image-scan finding (.trivyignore.yaml) is dated (<= 90 days) and explained
	scripts/trivyignore-check.sh

audit: ## Vulnerable NuGet packages, direct and transitive: report in build/audit, fails on any
	scripts/audit.sh

sbom: ## CycloneDX SBOMs of the server and the client into build/sbom, each checked to list every package
	scripts/sbom.sh

shell-tests: ## tests/shell: deploy.sh against a stand-in kubectl (rollout, undo), each gate on a planted problem
	tests/shell/run.sh $(RESULTS)

image: ## Build the container image (needs a Docker engine; none runs on the dev machines). IMAGE=aigrpc:dev
	docker build -t $(or $(IMAGE),aigrpc:dev) .

clean: ## Remove build outputs
	rm -rf build artifacts
	$(DOTNET) clean $(SOLUTION) >/dev/null

# ---------------------------------------------------------------------------------------------
# Mutation testing, not part of `make test` (about 35 minutes on 2 cores). Scores and floors: docs/testing.md.
# ---------------------------------------------------------------------------------------------
.PHONY: mutation
mutation: ## Mutation testing of the engines (Stryker.NET, tool manifest): reports in build/mutation/reports; fails under a file's floor (tests/mutation/floors.json). MUTATION_ENGINES="common validation payroll analytics", MUTATE=glob
	scripts/mutation.sh

# ---------------------------------------------------------------------------------------------
# Validation benchmarks, not part of `make test` (they take minutes). Figures: docs/performance.md.
# ---------------------------------------------------------------------------------------------
.PHONY: bench-validation
bench-validation: ## Validation benchmarks: one DTE full vs floor, EnvioDTE of 500 (docs/s, peak memory)
	$(DOTNET) build benchmarks/AiGrpc.Benchmarks -c Release -warnaserror
	$(DOTNET) benchmarks/AiGrpc.Benchmarks/bin/Release/net10.0/AiGrpc.Benchmarks.dll validation-peak 500
	$(DOTNET) benchmarks/AiGrpc.Benchmarks/bin/Release/net10.0/AiGrpc.Benchmarks.dll --filter '*Validation*' --artifacts build/bench-validation

# ---------------------------------------------------------------------------------------------
# Analytics quality and benchmarks, not part of `make test`. Figures: docs/analytics.md, docs/performance.md.
# ---------------------------------------------------------------------------------------------
.PHONY: eval bench-analytics bench-grpc
eval: ## Analytics quality: dev set, training and blind companies, cross-company rotation (per kind, misses); ChileCompra text task vs plain TF-IDF
	$(DOTNET) build tools/AiGrpc.Eval -c Release -warnaserror
	$(DOTNET) tools/AiGrpc.Eval/bin/Release/net10.0/aigrpc-eval.dll all

bench-analytics: ## Analytics benchmarks: index + match for 30 projects/60 history and 1000/5000 (BENCH_JOB=short|default)
	$(DOTNET) build benchmarks/AiGrpc.Benchmarks -c Release -warnaserror
	$(DOTNET) benchmarks/AiGrpc.Benchmarks/bin/Release/net10.0/AiGrpc.Benchmarks.dll analytics-latency 5000
	$(DOTNET) benchmarks/AiGrpc.Benchmarks/bin/Release/net10.0/AiGrpc.Benchmarks.dll --filter '*Analytics*' --job $(or $(BENCH_JOB),short) --inProcess --artifacts build/bench-analytics

bench-grpc: ## gRPC throughput (h2load): MatchInvoice 30 projects/60 history vs grpc.health.v1.Health/Check, same server, same run
	command -v h2load >/dev/null || scripts/install-test-deps.sh
	$(DOTNET) build src/AiGrpc.Server -c Release -warnaserror
	$(DOTNET) build benchmarks/AiGrpc.Benchmarks -c Release -warnaserror
	$(DOTNET) benchmarks/AiGrpc.Benchmarks/bin/Release/net10.0/AiGrpc.Benchmarks.dll grpc-throughput $(BENCH_GRPC_ARGS)

# ---------------------------------------------------------------------------------------------
# Operations: key hashes, audit verification; load runs (attack, soak), not part of `make test`.
# ---------------------------------------------------------------------------------------------
.PHONY: key-hash audit-verify soak attack
key-hash: ## Print the sha256: form of a key for configuration: make key-hash KEY=... (or omit KEY and type it)
	@$(DOTNET) run --project src/AiGrpc.Server -c $(CONFIGURATION) -- hash-key $(if $(KEY),'$(KEY)')

audit-verify: ## Verify an audit trail's chain: make audit-verify FILE=audit.jsonl [STRICT=1] [CHECKPOINTS=pod.log] (keyed chain: AIGRPC_AUDIT_HMAC_KEY in the environment)
	@$(DOTNET) run --project src/AiGrpc.Server -c $(CONFIGURATION) -- audit-verify '$(FILE)' $(if $(STRICT),--strict) $(if $(CHECKPOINTS),--checkpoints '$(CHECKPOINTS)')

attack: ## hostile load on loopback, production mode: 401 flood, 10,000 Watch streams, each hardening row once, CPU share with big envelopes (bounded, ~1 min)
	$(DOTNET) build tools/AiGrpc.Soak -c Release -warnaserror
	$(DOTNET) build src/AiGrpc.Server -c Release -warnaserror
	$(DOTNET) tools/AiGrpc.Soak/bin/Release/net10.0/aigrpc-soak.dll attack

soak: ## ~75 s of load and faults on loopback (real server, redis-server, fake LLM): SECONDS=75 CLIENTS=8
	$(DOTNET) build tools/AiGrpc.Soak -c Release -warnaserror
	$(DOTNET) build src/AiGrpc.Server -c Release -warnaserror
	$(DOTNET) tools/AiGrpc.Soak/bin/Release/net10.0/aigrpc-soak.dll $(or $(SECONDS),75) $(or $(CLIENTS),8)
