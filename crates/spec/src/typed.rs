//! The loaded document as `openapiv3::OpenAPI` (feature `openapiv3`).

use crate::document::{Document, SpecVersion};
use crate::error::{Error, Result};

impl Document {
    /// The document as [`openapiv3::OpenAPI`], the typed OpenAPI 3.0 model that Rust tools
    /// such as progenitor and dropshot speak (feature `openapiv3`).
    ///
    /// - **3.0**: converted as it is (external `$ref`s were bundled by the loader; internal
    ///   ones stay `$ref`s, as `openapiv3` keeps them). Extensions (`x-...`) are kept in the
    ///   model's `extensions` maps.
    /// - **3.1**: refused with [`Error::Version`]: `openapiv3` models 3.0 only. Lower the
    ///   document first with `lambda_sync_compat::transform`, which writes a 3.0.3 document,
    ///   and convert that.
    /// - **Swagger 2.0**: refused with [`Error::Version`]; there is no 2.0 → 3.0 converter
    ///   here.
    ///
    /// A 3.0 document that does not fit the model (a value of the wrong type where the model
    /// has a typed field) is an [`Error::Model`] naming what did not fit.
    ///
    /// ```
    /// let loaded = lambda_sync_spec::load_str(r#"
    /// openapi: 3.0.3
    /// info: {title: Pets, version: "1.0"}
    /// paths:
    ///   /pets/{petId}:
    ///     get:
    ///       operationId: getPet
    ///       parameters: [{name: petId, in: path, required: true, schema: {type: integer}}]
    ///       responses: {"200": {description: ok}}
    /// "#)?;
    /// let api = loaded.document.to_openapiv3()?;
    /// assert_eq!(api.info.title, "Pets");
    /// let (path, method, op) = api.operations().next().unwrap();
    /// assert_eq!((path, method, op.operation_id.as_deref()), ("/pets/{petId}", "get", Some("getPet")));
    ///
    /// let swagger = lambda_sync_spec::load_str("swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\n")?;
    /// assert!(matches!(swagger.document.to_openapiv3(), Err(lambda_sync_spec::Error::Version(_))));
    /// # Ok::<(), lambda_sync_spec::Error>(())
    /// ```
    pub fn to_openapiv3(&self) -> Result<openapiv3::OpenAPI> {
        match self.version() {
            SpecVersion::OpenApi30 => {}
            SpecVersion::OpenApi31 => {
                return Err(Error::Version(format!(
                    "`openapiv3` models OpenAPI 3.0 only, and this definition is `openapi: {}`: lower it to 3.0 first (lambda_sync_compat::transform writes a 3.0.3 document), then convert that",
                    self.declared_version()
                )));
            }
            SpecVersion::Swagger2 => {
                return Err(Error::Version(
                    "`openapiv3` models OpenAPI 3.0 only, and this definition is Swagger 2.0: convert it to OpenAPI 3.0 first (lambda-sync has no 2.0 to 3.0 converter)".to_string(),
                ));
            }
        }
        <openapiv3::OpenAPI as serde::Deserialize>::deserialize(self.value()).map_err(|e| {
            Error::Model {
                model: "openapiv3::OpenAPI",
                message: e.to_string(),
            }
        })
    }
}
