//! The two client traits every backend implements.

use crate::{
    AddPermission, CreateFunction, Deployment, FunctionInfo, FunctionPage, ImportRestApi,
    PolicyStatement, PutRestApi, Resource, RestApi, Result,
};

/// The part of Amazon API Gateway (REST APIs, v1) that lambda-sync uses.
///
/// Object safe: hold it as `Arc<dyn ApiGateway>` to switch between [`crate::FakeAws`] and the
/// real backend without changing the calling code.
#[async_trait::async_trait]
pub trait ApiGateway: Send + Sync + std::fmt::Debug {
    /// Creates a REST API from an OpenAPI definition (`ImportRestApi`), returning it with the
    /// import's warnings. With `fail_on_warnings`, any warning is an [`crate::Error::InvalidInput`]
    /// and nothing is created.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> lambda_sync_aws::Result<()> {
    /// use lambda_sync_aws::{ApiGateway, FakeAws, ImportRestApi};
    /// let aws = FakeAws::default();
    /// let body = r#"{"openapi": "3.0.1", "info": {"title": "pets", "version": "1"},
    ///                "paths": {"/pets": {"get": {"responses": {"200": {"description": "ok"}}}}}}"#;
    /// let api = aws.import_rest_api(ImportRestApi::new(body)).await?;
    /// assert_eq!(api.name, "pets");
    /// assert!(api.warnings.is_empty());
    /// # Ok(()) }
    /// ```
    async fn import_rest_api(&self, req: ImportRestApi) -> Result<RestApi>;

    /// Updates an existing REST API from an OpenAPI definition (`PutRestApi`), merging or
    /// overwriting. With `fail_on_warnings`, any warning is an error and nothing changes.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> lambda_sync_aws::Result<()> {
    /// use lambda_sync_aws::{ApiGateway, FakeAws, ImportRestApi, PutMode, PutRestApi};
    /// let aws = FakeAws::default();
    /// let v1 = r#"{"openapi": "3.0.1", "info": {"title": "pets", "version": "1"},
    ///              "paths": {"/pets": {"get": {"responses": {"200": {"description": "ok"}}}}}}"#;
    /// let v2 = r#"{"openapi": "3.0.1", "info": {"title": "pets", "version": "2"},
    ///              "paths": {"/owners": {"get": {"responses": {"200": {"description": "ok"}}}}}}"#;
    /// let api = aws.import_rest_api(ImportRestApi::new(v1)).await?;
    /// aws.put_rest_api(PutRestApi::new(&api.id, v2).with_mode(PutMode::Overwrite)).await?;
    /// let paths: Vec<String> = aws.get_resources(&api.id).await?.into_iter().map(|r| r.path).collect();
    /// assert_eq!(paths, ["/", "/owners"]);
    /// # Ok(()) }
    /// ```
    async fn put_rest_api(&self, req: PutRestApi) -> Result<RestApi>;

    /// Reads one REST API; [`crate::Error::NotFound`] when there is none with this id.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> lambda_sync_aws::Result<()> {
    /// use lambda_sync_aws::{ApiGateway, Error, FakeAws};
    /// let aws = FakeAws::default();
    /// assert!(matches!(aws.get_rest_api("nosuchapi0").await, Err(Error::NotFound { .. })));
    /// # Ok(()) }
    /// ```
    async fn get_rest_api(&self, api_id: &str) -> Result<RestApi>;

    /// Lists every REST API of the account and region (all pages).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> lambda_sync_aws::Result<()> {
    /// use lambda_sync_aws::{ApiGateway, FakeAws, ImportRestApi};
    /// let aws = FakeAws::default();
    /// aws.import_rest_api(ImportRestApi::new(r#"{"swagger": "2.0", "info": {"title": "a"}, "paths": {}}"#)).await?;
    /// assert_eq!(aws.list_rest_apis().await?.len(), 1);
    /// # Ok(()) }
    /// ```
    async fn list_rest_apis(&self) -> Result<Vec<RestApi>>;

    /// The REST APIs whose name is exactly `name` (API Gateway does not make names unique).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> lambda_sync_aws::Result<()> {
    /// use lambda_sync_aws::{ApiGateway, FakeAws, ImportRestApi};
    /// let aws = FakeAws::default();
    /// let api = aws.import_rest_api(ImportRestApi::new(r#"{"swagger": "2.0", "info": {"title": "a"}, "paths": {}}"#)).await?;
    /// assert_eq!(aws.find_rest_apis_by_name("a").await?[0].id, api.id);
    /// assert!(aws.find_rest_apis_by_name("b").await?.is_empty());
    /// # Ok(()) }
    /// ```
    async fn find_rest_apis_by_name(&self, name: &str) -> Result<Vec<RestApi>> {
        Ok(self
            .list_rest_apis()
            .await?
            .into_iter()
            .filter(|api| api.name == name)
            .collect())
    }

    /// Lists the resources of a REST API with their methods and integrations (all pages),
    /// sorted by path.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> lambda_sync_aws::Result<()> {
    /// use lambda_sync_aws::{ApiGateway, FakeAws, ImportRestApi};
    /// let aws = FakeAws::default();
    /// let body = r#"{"openapi": "3.0.1", "info": {"title": "pets", "version": "1"},
    ///                "paths": {"/pets/{id}": {"get": {"operationId": "getPet",
    ///                  "responses": {"200": {"description": "ok"}}}}}}"#;
    /// let api = aws.import_rest_api(ImportRestApi::new(body)).await?;
    /// let resources = aws.get_resources(&api.id).await?;
    /// let paths: Vec<&str> = resources.iter().map(|r| r.path.as_str()).collect();
    /// assert_eq!(paths, ["/", "/pets", "/pets/{id}"]);
    /// assert_eq!(resources[2].methods["GET"].operation_name.as_deref(), Some("getPet"));
    /// # Ok(()) }
    /// ```
    async fn get_resources(&self, api_id: &str) -> Result<Vec<Resource>>;

    /// Deploys the REST API to a stage (created if needed). As on AWS, the API must have at
    /// least one method and every method needs an integration, else
    /// [`crate::Error::InvalidInput`].
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> lambda_sync_aws::Result<()> {
    /// use lambda_sync_aws::{ApiGateway, FakeAws, ImportRestApi};
    /// let aws = FakeAws::default();
    /// let body = r#"{"openapi": "3.0.1", "info": {"title": "pets", "version": "1"},
    ///                "paths": {"/pets": {"get": {"responses": {"200": {"description": "ok"}},
    ///                  "x-amazon-apigateway-integration": {"type": "mock"}}}}}"#;
    /// let api = aws.import_rest_api(ImportRestApi::new(body)).await?;
    /// let deployment = aws.create_deployment(&api.id, "prod", Some("first")).await?;
    /// assert_eq!(deployment.stage, "prod");
    /// # Ok(()) }
    /// ```
    async fn create_deployment(
        &self,
        api_id: &str,
        stage: &str,
        description: Option<&str>,
    ) -> Result<Deployment>;
}

/// The part of AWS Lambda's control plane that lambda-sync uses.
///
/// Object safe: hold it as `Arc<dyn Lambda>`.
#[async_trait::async_trait]
pub trait Lambda: Send + Sync + std::fmt::Debug {
    /// Reads a function's configuration by name or ARN; [`crate::Error::NotFound`] when absent.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> lambda_sync_aws::Result<()> {
    /// use lambda_sync_aws::{Error, FakeAws, Lambda};
    /// let aws = FakeAws::default();
    /// assert!(matches!(aws.get_function("missing").await, Err(Error::NotFound { .. })));
    /// # Ok(()) }
    /// ```
    async fn get_function(&self, name: &str) -> Result<FunctionInfo>;

    /// The deployment package (zip) of a function, as stored by Lambda: what `GetFunction`'s
    /// `Code.Location` points to (a presigned URL, valid for 10 minutes, that the real backend
    /// downloads). Used to restore a function's code folder.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> lambda_sync_aws::Result<()> {
    /// use lambda_sync_aws::{CreateFunction, FakeAws, Lambda, minimal_zip};
    /// let aws = FakeAws::default();
    /// let zip = minimal_zip("index.mjs", b"export const handler = async () => 1;");
    /// let role = "arn:aws:iam::123456789012:role/r";
    /// aws.create_function(CreateFunction::new("f", role, "nodejs24.x", "index.handler", zip.clone())).await?;
    /// assert_eq!(aws.get_function_code("f").await?, zip);
    /// # Ok(()) }
    /// ```
    ///
    /// The default answers that the backend cannot (both backends here implement it).
    async fn get_function_code(&self, name: &str) -> Result<Vec<u8>> {
        Err(crate::Error::Service {
            code: "NotImplemented".into(),
            message: format!("this backend cannot read the code of function {name}"),
        })
    }

    /// One page of functions (at most 50), sorted by name, starting at `marker`.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> lambda_sync_aws::Result<()> {
    /// use lambda_sync_aws::{FakeAws, Lambda};
    /// let aws = FakeAws::default();
    /// let page = aws.list_functions(None).await?;
    /// assert!(page.functions.is_empty() && page.next_marker.is_none());
    /// # Ok(()) }
    /// ```
    async fn list_functions(&self, marker: Option<String>) -> Result<FunctionPage>;

    /// Every function, following the pages' markers.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> lambda_sync_aws::Result<()> {
    /// use lambda_sync_aws::{CreateFunction, FakeAws, Lambda, minimal_zip};
    /// let aws = FakeAws::default();
    /// for i in 0..60 {
    ///     let role = "arn:aws:iam::123456789012:role/lambda";
    ///     let zip = minimal_zip("index.js", b"exports.handler = async () => ({});");
    ///     aws.create_function(CreateFunction::new(format!("f{i:02}"), role, "nodejs22.x", "index.handler", zip)).await?;
    /// }
    /// assert_eq!(aws.list_all_functions().await?.len(), 60);
    /// # Ok(()) }
    /// ```
    async fn list_all_functions(&self) -> Result<Vec<FunctionInfo>> {
        let mut all = Vec::new();
        let mut marker = None;
        loop {
            let page = self.list_functions(marker.take()).await?;
            all.extend(page.functions);
            match page.next_marker {
                Some(next) if !next.is_empty() => marker = Some(next),
                _ => return Ok(all),
            }
        }
    }

    /// Creates a function from a zip package; [`crate::Error::Conflict`] when the name is taken.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> lambda_sync_aws::Result<()> {
    /// use lambda_sync_aws::{CreateFunction, FakeAws, Lambda, minimal_zip};
    /// let aws = FakeAws::default();
    /// let zip = minimal_zip("index.js", b"exports.handler = async () => ({});");
    /// let info = aws.create_function(
    ///     CreateFunction::new("getPet", "arn:aws:iam::123456789012:role/lambda", "nodejs22.x", "index.handler", zip)
    ///         .with_description("Reads a pet"),
    /// ).await?;
    /// assert_eq!(info.arn, "arn:aws:lambda:us-east-1:123456789012:function:getPet");
    /// assert!(info.code_sha256.is_some());
    /// # Ok(()) }
    /// ```
    async fn create_function(&self, req: CreateFunction) -> Result<FunctionInfo>;

    /// The statements of a function's resource policy: empty when it has none,
    /// [`crate::Error::NotFound`] when the function does not exist.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> lambda_sync_aws::Result<()> {
    /// use lambda_sync_aws::{CreateFunction, FakeAws, Lambda, minimal_zip};
    /// let aws = FakeAws::default();
    /// let zip = minimal_zip("index.js", b"");
    /// aws.create_function(CreateFunction::new("f", "arn:aws:iam::123456789012:role/r", "nodejs22.x", "index.handler", zip)).await?;
    /// assert!(aws.get_policy("f").await?.is_empty());
    /// # Ok(()) }
    /// ```
    async fn get_policy(&self, function_name: &str) -> Result<Vec<PolicyStatement>>;

    /// Adds a statement to a function's resource policy; [`crate::Error::Conflict`] when the
    /// statement id is taken.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> lambda_sync_aws::Result<()> {
    /// use lambda_sync_aws::{AddPermission, CreateFunction, Error, FakeAws, Lambda, minimal_zip};
    /// let aws = FakeAws::default();
    /// let zip = minimal_zip("index.js", b"");
    /// aws.create_function(CreateFunction::new("f", "arn:aws:iam::123456789012:role/r", "nodejs22.x", "index.handler", zip)).await?;
    /// let permission = AddPermission::new("f", "apigw-invoke")
    ///     .with_source_arn("arn:aws:execute-api:us-east-1:123456789012:abcdefghij/*/GET/pets");
    /// aws.add_permission(permission.clone()).await?;
    /// assert_eq!(aws.get_policy("f").await?[0].sid, "apigw-invoke");
    /// assert!(matches!(aws.add_permission(permission).await, Err(Error::Conflict { .. })));
    /// # Ok(()) }
    /// ```
    async fn add_permission(&self, req: AddPermission) -> Result<()>;

    /// Removes one statement from a function's resource policy (`RemovePermission`);
    /// [`crate::Error::NotFound`] when the function or the statement does not exist.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> lambda_sync_aws::Result<()> {
    /// use lambda_sync_aws::{AddPermission, CreateFunction, Error, FakeAws, Lambda, minimal_zip};
    /// let aws = FakeAws::default();
    /// let zip = minimal_zip("index.js", b"");
    /// aws.create_function(CreateFunction::new("f", "arn:aws:iam::123456789012:role/r", "nodejs22.x", "index.handler", zip)).await?;
    /// aws.add_permission(AddPermission::new("f", "apigw-invoke")).await?;
    /// aws.remove_permission("f", "apigw-invoke").await?;
    /// assert!(aws.get_policy("f").await?.is_empty());
    /// assert!(matches!(aws.remove_permission("f", "apigw-invoke").await, Err(Error::NotFound { .. })));
    /// # Ok(()) }
    /// ```
    async fn remove_permission(&self, function_name: &str, statement_id: &str) -> Result<()>;
}
