//! Counting the AWS calls a sync makes, by operation.

use async_trait::async_trait;
use lambda_sync_aws::{
    AddPermission, ApiGateway, CreateFunction, Deployment, FunctionInfo, FunctionPage,
    ImportRestApi, Lambda, PolicyStatement, PutRestApi, Resource, RestApi, Result,
};
use std::collections::BTreeMap;
use std::sync::Mutex;

/// Wraps both clients and counts each call by its AWS operation name.
#[derive(Debug)]
pub(crate) struct Recorder<'a> {
    pub gateway: &'a dyn ApiGateway,
    pub lambda: &'a dyn Lambda,
    calls: Mutex<BTreeMap<String, usize>>,
}

impl<'a> Recorder<'a> {
    pub fn new(gateway: &'a dyn ApiGateway, lambda: &'a dyn Lambda) -> Self {
        Recorder {
            gateway,
            lambda,
            calls: Mutex::new(BTreeMap::new()),
        }
    }

    fn count(&self, op: &str) {
        *self
            .calls
            .lock()
            .expect("recorder lock")
            .entry(op.to_string())
            .or_default() += 1;
    }

    pub fn calls(&self) -> BTreeMap<String, usize> {
        self.calls.lock().expect("recorder lock").clone()
    }
}

#[async_trait]
impl ApiGateway for Recorder<'_> {
    async fn import_rest_api(&self, req: ImportRestApi) -> Result<RestApi> {
        self.count("ImportRestApi");
        self.gateway.import_rest_api(req).await
    }
    async fn put_rest_api(&self, req: PutRestApi) -> Result<RestApi> {
        self.count("PutRestApi");
        self.gateway.put_rest_api(req).await
    }
    async fn get_rest_api(&self, api_id: &str) -> Result<RestApi> {
        self.count("GetRestApi");
        self.gateway.get_rest_api(api_id).await
    }
    async fn list_rest_apis(&self) -> Result<Vec<RestApi>> {
        self.count("GetRestApis");
        self.gateway.list_rest_apis().await
    }
    async fn get_resources(&self, api_id: &str) -> Result<Vec<Resource>> {
        self.count("GetResources");
        self.gateway.get_resources(api_id).await
    }
    async fn create_deployment(
        &self,
        api_id: &str,
        stage: &str,
        description: Option<&str>,
    ) -> Result<Deployment> {
        self.count("CreateDeployment");
        self.gateway
            .create_deployment(api_id, stage, description)
            .await
    }
}

#[async_trait]
impl Lambda for Recorder<'_> {
    async fn get_function(&self, name: &str) -> Result<FunctionInfo> {
        self.count("GetFunction");
        self.lambda.get_function(name).await
    }
    async fn get_function_code(&self, name: &str) -> Result<Vec<u8>> {
        self.count("GetFunction");
        self.lambda.get_function_code(name).await
    }
    async fn list_functions(&self, marker: Option<String>) -> Result<FunctionPage> {
        self.count("ListFunctions");
        self.lambda.list_functions(marker).await
    }
    async fn create_function(&self, req: CreateFunction) -> Result<FunctionInfo> {
        self.count("CreateFunction");
        self.lambda.create_function(req).await
    }
    async fn get_policy(&self, function_name: &str) -> Result<Vec<PolicyStatement>> {
        self.count("GetPolicy");
        self.lambda.get_policy(function_name).await
    }
    async fn add_permission(&self, req: AddPermission) -> Result<()> {
        self.count("AddPermission");
        self.lambda.add_permission(req).await
    }
    async fn remove_permission(&self, function_name: &str, statement_id: &str) -> Result<()> {
        self.count("RemovePermission");
        self.lambda
            .remove_permission(function_name, statement_id)
            .await
    }
}
