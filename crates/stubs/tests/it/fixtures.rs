//! Hand-built event contracts: a petstore-like API and a hostile one.

use lambda_sync_integration::{
    ErrorResponse, EventContract, EventField, FieldSource, IntegrationType,
};
use lambda_sync_spec::HttpMethod;

pub fn field(
    key: &str,
    source: FieldSource,
    type_name: Option<&str>,
    format: Option<&str>,
    required: bool,
    description: Option<&str>,
) -> EventField {
    EventField {
        key: key.to_string(),
        source,
        name: if source == FieldSource::Body {
            "body".into()
        } else {
            key.to_string()
        },
        type_name: type_name.map(str::to_string),
        format: format.map(str::to_string),
        required,
        description: description.map(str::to_string),
        segment: None,
    }
}

pub fn error(status: u16, description: &str) -> ErrorResponse {
    ErrorResponse {
        status,
        description: Some(description.to_string()),
        message_prefix: format!("[{status}]"),
        selection_pattern: format!("\\[{status}\\].*"),
    }
}

#[allow(clippy::too_many_arguments)]
pub fn contract(
    name: &str,
    method: HttpMethod,
    path: &str,
    summary: &str,
    integration: IntegrationType,
    fields: Vec<EventField>,
    success_status: u16,
    errors: Vec<ErrorResponse>,
) -> EventContract {
    EventContract {
        function_name: name.to_string(),
        operation_id: name.to_string(),
        method,
        path: path.to_string(),
        summary: Some(summary.to_string()),
        description: None,
        integration,
        fields,
        success_status,
        errors,
    }
}

/// A petstore-like API: the operations of the classic example, non-proxy unless noted.
pub fn petstore() -> Vec<EventContract> {
    use FieldSource::*;
    use IntegrationType::*;
    vec![
        contract(
            "getUserByName",
            HttpMethod::Get,
            "/user/{username}",
            "Get user by user name",
            Aws,
            vec![field(
                "username",
                Path,
                Some("string"),
                None,
                true,
                Some("The name that needs to be fetched. Use user1 for testing."),
            )],
            200,
            vec![
                error(400, "Invalid username supplied"),
                error(404, "User not found"),
            ],
        ),
        contract(
            "addPet",
            HttpMethod::Post,
            "/pet",
            "Add a new pet to the store",
            Aws,
            vec![field(
                "body",
                Body,
                Some("object"),
                None,
                true,
                Some("Pet object that needs to be added to the store"),
            )],
            200,
            vec![error(405, "Invalid input")],
        ),
        contract(
            "findPetsByStatus",
            HttpMethod::Get,
            "/pet/findByStatus",
            "Finds Pets by status",
            Aws,
            vec![field(
                "status",
                Query,
                Some("array"),
                None,
                true,
                Some("Status values that need to be considered for filter"),
            )],
            200,
            vec![error(400, "Invalid status value")],
        ),
        contract(
            "getPetById",
            HttpMethod::Get,
            "/pet/{petId}",
            "Find pet by ID",
            Aws,
            vec![field(
                "petId",
                Path,
                Some("integer"),
                Some("int64"),
                true,
                Some("ID of pet to return"),
            )],
            200,
            vec![
                error(400, "Invalid ID supplied"),
                error(404, "Pet not found"),
            ],
        ),
        contract(
            "deletePet",
            HttpMethod::Delete,
            "/pet/{petId}",
            "Deletes a pet",
            Aws,
            vec![
                field("api_key", Header, Some("string"), None, false, None),
                field(
                    "petId",
                    Path,
                    Some("integer"),
                    Some("int64"),
                    true,
                    Some("Pet id to delete"),
                ),
            ],
            200,
            vec![
                error(400, "Invalid ID supplied"),
                error(404, "Pet not found"),
            ],
        ),
        contract(
            "uploadFile",
            HttpMethod::Post,
            "/pet/{petId}/uploadImage",
            "uploads an image",
            AwsProxy,
            vec![
                field(
                    "petId",
                    Path,
                    Some("integer"),
                    Some("int64"),
                    true,
                    Some("ID of pet to update"),
                ),
                field(
                    "additionalMetadata",
                    Query,
                    Some("string"),
                    None,
                    false,
                    Some("Additional data to pass to server"),
                ),
                field(
                    "X-Request-ID",
                    Header,
                    Some("string"),
                    Some("uuid"),
                    false,
                    None,
                ),
                field("body", Body, Some("string"), Some("binary"), false, None),
            ],
            200,
            vec![error(404, "Pet not found")],
        ),
        contract(
            "loginUser",
            HttpMethod::Get,
            "/user/login",
            "Logs user into the system",
            Aws,
            vec![
                field(
                    "username",
                    Query,
                    Some("string"),
                    None,
                    true,
                    Some("The user name for login"),
                ),
                field(
                    "password",
                    Query,
                    Some("string"),
                    None,
                    true,
                    Some("The password for login in clear text"),
                ),
            ],
            200,
            vec![error(400, "Invalid username/password supplied")],
        ),
        contract(
            "createUser",
            HttpMethod::Post,
            "/user",
            "Create user",
            AwsProxy,
            vec![field(
                "body",
                Body,
                Some("object"),
                None,
                true,
                Some("Created user object"),
            )],
            201,
            vec![],
        ),
        contract(
            "deleteOrder",
            HttpMethod::Delete,
            "/store/order/{orderId}",
            "Delete purchase order by ID",
            AwsProxy,
            vec![field(
                "orderId",
                Path,
                Some("integer"),
                Some("int64"),
                true,
                None,
            )],
            204,
            vec![
                error(400, "Invalid ID supplied"),
                error(404, "Order not found"),
            ],
        ),
    ]
}

/// Everything a definition could throw at the generator, in one contract per integration.
pub fn hostile() -> Vec<EventContract> {
    let nasty = "*/ \"\"\" ''' ` ${process.exit(1)} \\ \0 \u{1} \u{7f} \u{85} \u{2028}x\u{2029}y \u{202e}evil\u{2066} \u{feff} </script> <!-- --> # -*- coding: latin-1 -*-\nnext line\r\nand\rmore\n\n";
    let mut fields = Vec::new();
    let keys = [
        "class",
        "from",
        "import",
        "default",
        "return",
        "None",
        "await",
        "event",
        "context",
        "X-Request-ID",
        "x_request_id",
        "xRequestId",
        "2fa",
        "名前",
        "",
        "$ref",
        "__proto__",
        "json",
        "JSON",
        "Error",
        "id",
        "type",
        "lambda",
        "a\"b",
        "a\nb",
        "a\u{2028}b",
        "\\",
        "constructor",
        "toString",
        "hasOwnProperty",
    ];
    for (i, k) in keys.iter().enumerate() {
        let source = match i % 3 {
            0 => FieldSourceAlias::Path,
            1 => FieldSourceAlias::Query,
            _ => FieldSourceAlias::Header,
        };
        fields.push(EventField {
            key: k.to_string(),
            source,
            name: k.to_string(),
            type_name: Some(format!("string{nasty}")),
            format: Some(nasty.to_string()),
            required: i % 2 == 0,
            description: Some(format!("{nasty}{i}")),
            segment: None,
        });
    }
    fields.push(EventField {
        key: "body".into(),
        source: FieldSourceAlias::Body,
        name: "body".into(),
        type_name: None,
        format: None,
        required: false,
        description: Some(nasty.into()),
        segment: None,
    });
    let base = EventContract {
        function_name: format!("fn{nasty}"),
        operation_id: nasty.to_string(),
        method: HttpMethod::Patch,
        path: format!("/a/{{b}}{nasty}"),
        summary: Some(nasty.to_string()),
        description: Some(nasty.repeat(2)),
        integration: IntegrationType::Aws,
        fields,
        success_status: 200,
        errors: vec![
            ErrorResponse {
                status: 404,
                description: Some(nasty.to_string()),
                message_prefix: "[404]\"); process.exit(3); (\"".into(),
                selection_pattern: nasty.to_string(),
            },
            ErrorResponse {
                status: 500,
                description: None,
                message_prefix: "[500]".into(),
                selection_pattern: "\\[500\\].*".into(),
            },
        ],
    };
    let proxy = EventContract {
        integration: IntegrationType::AwsProxy,
        ..base.clone()
    };
    vec![base, proxy]
}

use lambda_sync_integration::FieldSource as FieldSourceAlias;
