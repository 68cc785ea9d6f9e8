/**
 * Requirements manifest: every MCP tool -> the tests (by exact name) that prove its happy path and
 * its in-band errors. coverage.test.ts fails when a registered tool is missing here or a named test
 * does not exist. Tests shared by all tools (schema lint, in-band wrapper) are listed under '*'.
 */
export const requirements: Record<string, { file: string; tests: string[] }[]> = {
  '*': [
    {
      file: 'schema-lint.test.ts',
      tests: [
        'every tool has object-rooted input and output schemas that compile under ajv strict mode',
        'a zero-argument tool publishes {"type":"object","properties":{}}',
        'every output schema accepts the in-band error shape, so clients can validate isError results',
        'every tool has a title, a description that says what comes back, and annotations',
      ],
    },
    {
      file: 'tool-result.test.ts',
      tests: [
        'inBand turns a typed error into isError with code, message, hint, path and problems',
        'inBand turns an unexpected exception into INTERNAL_ERROR instead of a protocol error',
        'inBand re-throws an abort of a cancelled request',
      ],
    },
    { file: 'stdio.test.ts', tests: ['serveStdio answers JSON-RPC on stdout only and closes the app when stdin ends'] },
    {
      file: '../../mcp/safety.test.ts',
      tests: [
        'every path argument refuses ../../etc/passwd and a symlink pointing out with PATH_OUTSIDE_WORKSPACE',
        'text, pipeline documents and files over the size limits are refused with a typed error before any run',
        'credentials from the environment and secrets a run registered are masked in every tool result',
      ],
    },
  ],
  list_lanes: [
    {
      file: 'discovery.test.ts',
      tests: [
        'list_lanes returns every lane with a description and an object payload schema',
        // list_lanes takes no input, so no user input can make it fail; unexpected failures are covered by '*'.
        'list_lanes ignores arguments it does not know instead of failing',
      ],
    },
  ],
  list_nodes: [
    {
      file: 'discovery.test.ts',
      tests: [
        'list_nodes filters by lane, category and query',
        'list_nodes with no match answers an empty list and names the categories',
        'list_nodes with an unknown lane is an in-band error, and the server keeps serving',
      ],
    },
  ],
  describe_node: [
    {
      file: 'discovery.test.ts',
      tests: [
        'describe_node gives lanes, the config JSON Schema and examples',
        'describe_node with an unknown type is an in-band UNKNOWN_NODE_TYPE naming the nearest type',
      ],
    },
  ],
  plan_path: [
    {
      file: 'discovery.test.ts',
      tests: [
        'plan_path finds image -> documents and returns a skeleton that validates',
        'plan_path without a source for `from` returns only the chain and says what to add',
        'plan_path with no chain answers an empty list with what reads and emits the lanes',
        'plan_path with a bad maxLength is an in-band error',
      ],
    },
  ],
  validate_pipeline: [
    {
      file: 'validate-pipeline.test.ts',
      tests: [
        'validate_pipeline accepts a valid pipeline given inline',
        'validate_pipeline returns all three mistakes of a pipeline in one answer',
        'validate_pipeline reads a pipeline file by path and by name inside the workspace',
        'validate_pipeline without a pipeline, or with two, is an in-band ARGUMENTS_INVALID',
        'validate_pipeline with a missing file is PIPELINE_NOT_FOUND and a non-JSON file PIPELINE_NOT_JSON',
        'validate_pipeline refuses pipeline paths outside the workspace: ../, absolute, symlink',
      ],
    },
    { file: 'workspace.test.ts', tests: ['confinePath rejects ../ escapes, absolute paths outside and symlinks that leave the root'] },
  ],
  run_pipeline: [
    {
      file: 'run-pipeline.test.ts',
      tests: [
        'run_pipeline runs text input and returns outputs, run id and trace location',
        'run_pipeline reads an input file inside the workspace',
        'run_pipeline confines input paths: ../, absolute outside and symlink escapes are PATH_OUTSIDE_WORKSPACE',
        'run_pipeline with a missing input file is INPUT_NOT_FOUND, with no input INPUT_REQUIRED',
        'run_pipeline with both input and text is ARGUMENTS_INVALID, not a run on one of them',
        'run_pipeline refuses an invalid pipeline with every problem, in-band',
        'a failing run is in-band with the node error, its run id and status; the next run succeeds',
        'run_pipeline never echoes the value of an ${ENV} placeholder',
        'run_pipeline sends monotonically increasing progress notifications when given a progress token',
        'a client cancel aborts a slow run, which ends cancelled in the trace store',
        'run_pipeline with a whole-run timeout fails in-band with RUN_TIMEOUT',
      ],
    },
    {
      file: '../../mcp/progress.test.ts',
      tests: [
        'run_pipeline reports progress at least every 5 s during one slow item, increasing, and nothing after the result',
        'heartbeats between items stay below the next item count, so item progress still increases',
      ],
    },
    { file: '../../mcp/long-run.test.ts', tests: ['a 90-second run behind a 60-second client timeout that resets on progress completes'] },
    {
      file: '../../mcp/cancel-ingest.test.ts',
      tests: ['cancelling an ingest after one second ends the run cancelled, and the store holds no document written after the cancel'],
    },
    {
      file: '../../mcp/output-budget.test.ts',
      tests: [
        'a result over the output budget returns a preview and a resource_link that resources/read serves fully in pages',
        'a small result is whole, with no links; a page out of range and an unknown output are resource errors',
        'the output budget defaults to 20,000 characters and PIPELANE_MCP_OUTPUT_BUDGET sets it',
      ],
    },
    {
      file: '../../mcp/pipeline-tools.test.ts',
      tests: ['delete_pipeline removes the file; run_pipeline {name} runs a saved pipeline until then'],
    },
    { file: '../../mcp/safety.test.ts', tests: ['a saved pipeline whose file is a symlink out of the workspace is refused by name'] },
  ],
  save_pipeline: [
    {
      file: '../../mcp/pipeline-tools.test.ts',
      tests: [
        'save_pipeline validates, saves pipelines/<name>.pipe.json and reports replaced on the second save',
        'save_pipeline refuses an invalid pipeline with every problem and writes nothing; a bad name is PIPELINE_NAME_INVALID',
        'an exposed pipeline becomes tool pipe_<name> with a {text} input, list_changed is sent, and deleting it removes the tool',
        'a pipeline whose source is source.file is exposed with a {path} input confined to the workspace',
        'another session on the same workspace gets list_changed and the new tool when an exposed pipeline is saved',
      ],
    },
  ],
  list_pipelines: [
    {
      file: '../../mcp/pipeline-tools.test.ts',
      // list_pipelines takes no input; an unreadable pipeline file is its error case, reported per entry.
      tests: ['list_pipelines lists name, description, expose, node types, input lane and outputs; an unreadable file is listed with its error'],
    },
    { file: 'schema-lint.test.ts', tests: ['a zero-argument tool publishes {"type":"object","properties":{}}'] },
  ],
  get_pipeline: [
    {
      file: '../../mcp/pipeline-tools.test.ts',
      tests: [
        'get_pipeline returns the document and a Mermaid flowchart with node types, lane-labelled edges and dashed uses bindings',
        'get_pipeline and delete_pipeline of an unknown name are PIPELINE_NOT_FOUND naming the nearest',
      ],
    },
  ],
  delete_pipeline: [
    {
      file: '../../mcp/pipeline-tools.test.ts',
      tests: [
        'delete_pipeline removes the file; run_pipeline {name} runs a saved pipeline until then',
        'get_pipeline and delete_pipeline of an unknown name are PIPELINE_NOT_FOUND naming the nearest',
        'an exposed pipeline becomes tool pipe_<name> with a {text} input, list_changed is sent, and deleting it removes the tool',
      ],
    },
  ],
  get_run: [
    {
      file: 'traces.test.ts',
      tests: [
        'get_run returns the run record and its spans in start order',
        'get_run with an unknown id is an in-band RUN_NOT_FOUND that says where run ids come from',
        'a closed trace store is an in-band TRACE_STORE_CLOSED for get_run and query_traces',
      ],
    },
  ],
  query_traces: [
    {
      file: 'traces.test.ts',
      tests: [
        "query_traces with a runId returns that run's spans",
        'query_traces filters spans by node, status and orders by slowest',
        'query_traces with only a pipeline, or nothing, returns runs newest first',
        'query_traces for an unknown run answers no spans and a hint',
        'query_traces with a bad status or limit is an in-band error',
        'a closed trace store is an in-band TRACE_STORE_CLOSED for get_run and query_traces',
      ],
    },
  ],
  run_agent: [
    {
      file: '../../mcp/agent-tools.test.ts',
      tests: [
        'run_agent answers with steps, usage and a cost priced by the table, as a run in the trace store',
        'run_agent sends progress naming the run first, then a heartbeat while the model is slow',
        'run_agent with an unknown tool type is AGENT_SETUP_INVALID at /tools/<i>, naming the nearest type, and nothing runs',
        'run_agent with an unsaved pipeline tool is AGENT_SETUP_INVALID at /tools/<i>',
        'run_agent with an unset key variable fails in-band with MISSING_API_KEY naming the variable, with its run id',
        'run_agent with openai-tools on an Anthropic model is FRAMEWORK_PROVIDER_MISMATCH',
        'run_agent with an unknown framework is refused by its input schema, naming the frameworks',
      ],
    },
    {
      file: '../../acceptance/agents.test.ts',
      tests: [
        'a server that echoes the key in its 401 message gets it masked in the result, the trace and the logs',
        'the API key is nowhere in the trace database files (main file and WAL) nor in the debug log',
      ],
    },
  ],
  compare_agents: [
    {
      file: '../../mcp/agent-tools.test.ts',
      tests: [
        'compare_agents runs the variants concurrently, reports progress per variant, and a failing variant is a row with its error',
        'compare_agents with a judge scores each answer in a run named "judge"; an unusable reply gives null and says why',
        'compare_agents takes its judge from PIPELANE_JUDGE_MODEL, and a malformed value is JUDGE_MODEL_INVALID before any run',
        'parseJudgeReply reads fenced, embedded and string scores, and refuses out-of-range or missing ones',
      ],
    },
  ],
  replay_llm_calls: [
    {
      file: '../../mcp/agent-tools.test.ts',
      tests: [
        'replay_llm_calls resends every recorded call to another model, side by side, in a run named "replay"',
        'replay_llm_calls with limit replays the first calls and counts the rest as skipped',
        'replay_llm_calls with an unknown run is RUN_NOT_FOUND at /runId',
        'replay_llm_calls on a run without model calls is RUN_HAS_NO_LLM_CALLS',
        'replay_llm_calls on a run traced with previews off is LLM_REQUESTS_NOT_RECORDED, saying why',
      ],
    },
  ],
};
