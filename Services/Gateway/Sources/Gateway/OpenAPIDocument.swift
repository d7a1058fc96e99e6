import Foundation
import ProtoJSON

/// The OpenAPI 3.1 document served at `/openapi.json`. Every API operation, its parameters,
/// request body and responses, and the schema of every message and enum are generated from
/// proto/ (`<Service>API.openAPI`, `<File>Proto.openAPISchemas`) for the services in
/// `ServedAPI.all`; written here are only the document's head, the gateway's own endpoints and
/// the error body. Tests validate the document, check real responses against its schemas, and
/// check that its operations are the route table's.
enum OpenAPIDocument {
    /// The document as JSON text (keys sorted).
    static let json: String = {
        guard case .object(var document) = parse(written, "OpenAPIDocument.written"),
            case .object(var paths) = document["paths"],
            case .object(var components) = document["components"],
            case .object(var schemas) = components["schemas"]
        else { preconditionFailure("OpenAPIDocument.written is not an OpenAPI document") }
        func merge(_ more: JSONValue, into target: inout [String: JSONValue], _ what: String) {
            guard case .object(let entries) = more else { preconditionFailure("generated \(what) is not an object") }
            for (name, value) in entries {
                precondition(target[name] == nil, "two \(what) are named \(name)")
                target[name] = value
            }
        }
        for api in ServedAPI.all {
            guard case .object(let generated) = parse(api.openAPI, "\(api.backend) openAPI"),
                let apiPaths = generated["paths"], let bodies = generated["schemas"]
            else { preconditionFailure("\(api.backend): generated openAPI lacks paths or schemas") }
            merge(apiPaths, into: &paths, "paths")
            merge(bodies, into: &schemas, "schemas")
            for text in api.schemas { merge(parse(text, "\(api.backend) schemas"), into: &schemas, "schemas") }
        }
        components["schemas"] = .object(schemas)
        document["components"] = .object(components)
        document["paths"] = .object(paths)
        return String(decoding: JSONValue.object(document).serialized(), as: UTF8.self)
    }()

    private static func parse(_ text: String, _ what: String) -> JSONValue {
        do {
            return try JSONValue.parse(Data(text.utf8))
        } catch {
            preconditionFailure("\(what) is not JSON: \(error)")
        }
    }

    /// The document's head, the gateway's own endpoints and the error body.
    private static let written = #"""
        {
          "openapi": "3.1.0",
          "info": {
            "title": "MentorNet gateway",
            "version": "0.1.0",
            "description": "JSON over HTTP for the MentorNet services. Errors are {\"error\": {\"code\", \"message\", \"details\"}} with grpc-gateway v2's HTTP status for the gRPC code."
          },
          "paths": {
            "/v1/members/{member_id}/notification-stream": {
              "get": {
                "operationId": "streamNotifications",
                "summary": "A member's live notifications as Server-Sent Events (id: on every event; resume with Last-Event-ID; a heartbeat comment every 15 s)",
                "parameters": [
                  {"name": "member_id", "in": "path", "required": true, "schema": {"type": "string"}},
                  {"name": "Last-Event-ID", "in": "header", "required": false, "schema": {"type": "string", "pattern": "^[0-9]+$"}},
                  {"name": "lastEventId", "in": "query", "required": false, "schema": {"type": "string", "pattern": "^[0-9]+$"}}
                ],
                "responses": {
                  "200": {
                    "description": "The stream: events named delivered, counts or reset, each data a NotificationEvent as JSON",
                    "content": {"text/event-stream": {"schema": {"type": "string"}}}
                  },
                  "400": {"description": "A malformed member id or Last-Event-ID", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
                  "401": {"$ref": "#/components/responses/Error"},
                  "403": {"$ref": "#/components/responses/Error"},
                  "503": {"description": "The notifications service is unavailable", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
                }
              }
            },
            "/healthz": {
              "get": {
                "operationId": "liveness",
                "security": [],
                "summary": "The gateway process is alive",
                "responses": {
                  "200": {
                    "description": "Alive",
                    "content": {
                      "application/json": {
                        "schema": {
                          "type": "object",
                          "properties": {
                            "status": {
                              "type": "string"
                            }
                          },
                          "required": [
                            "status"
                          ]
                        }
                      }
                    }
                  }
                }
              }
            },
            "/readyz": {
              "get": {
                "operationId": "readiness",
                "security": [],
                "summary": "Every backend answers its health check, and tokens can be checked",
                "responses": {
                  "200": {
                    "description": "Ready",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Readiness"
                        }
                      }
                    }
                  },
                  "503": {
                    "description": "Not ready",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Readiness"
                        }
                      }
                    }
                  }
                }
              }
            },
            "/metrics": {
              "get": {
                "operationId": "metrics",
                "security": [],
                "summary": "Prometheus metrics",
                "responses": {
                  "200": {
                    "description": "Prometheus text format",
                    "content": {
                      "text/plain": {
                        "schema": {
                          "type": "string"
                        }
                      }
                    }
                  }
                }
              }
            },
            "/openapi.json": {
              "get": {
                "operationId": "openapi",
                "security": [],
                "summary": "This document",
                "responses": {
                  "200": {
                    "description": "OpenAPI 3.1",
                    "content": {
                      "application/json": {
                        "schema": {
                          "type": "object"
                        }
                      }
                    }
                  }
                }
              }
            }
          },
          "security": [{"bearer": []}],
          "components": {
            "securitySchemes": {
              "bearer": {
                "type": "http",
                "scheme": "bearer",
                "bearerFormat": "JWT",
                "description": "A token from the organisation's identity provider, or a development token from mentornet-token (docs/security.md)"
              }
            },
            "responses": {
              "Error": {
                "description": "An error",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              }
            },
            "schemas": {
              "Error": {
                "type": "object",
                "additionalProperties": false,
                "required": [
                  "error"
                ],
                "properties": {
                  "error": {
                    "type": "object",
                    "additionalProperties": false,
                    "required": [
                      "code",
                      "message",
                      "details"
                    ],
                    "properties": {
                      "code": {
                        "type": "string",
                        "description": "gRPC status code name"
                      },
                      "message": {
                        "type": "string"
                      },
                      "details": {
                        "type": "array",
                        "items": {
                          "type": "object",
                          "additionalProperties": false,
                          "required": [
                            "field",
                            "description"
                          ],
                          "properties": {
                            "field": {
                              "type": "string"
                            },
                            "description": {
                              "type": "string"
                            }
                          }
                        }
                      }
                    }
                  }
                }
              },
              "Readiness": {
                "type": "object",
                "required": [
                  "status",
                  "backends"
                ],
                "properties": {
                  "status": {
                    "type": "string",
                    "enum": [
                      "ready",
                      "not ready"
                    ]
                  },
                  "backends": {
                    "type": "object",
                    "additionalProperties": {
                      "type": "string"
                    }
                  },
                  "tokens": {
                    "type": "string",
                    "description": "Why tokens cannot be checked yet (the identity provider's JWKS could not be fetched)"
                  }
                }
              }
            }
          }
        }
        """#
}
