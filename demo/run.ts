// PLACEHOLDER until the workspace trio lands: the offline demo prints the resource tree under mocks.
console.log("azure-databricks-mlops: offline demo — the workspace trio is not wired yet.");
