# The fleet service, written out from the kustomization in docker/k8s/fleet (same names, labels, ports,
# environment and rules; test/src/infra/terraform.spec.ts holds the two together), plus what only
# Terraform knows: the namespace, and the Google service accounts in the Workload Identity annotations.
#
# Plain kubernetes_* resources rather than kubernetes_manifest: those need the cluster's API at plan
# time, which a first apply (the cluster does not exist yet) cannot offer.
#
# Not here, on purpose: Secrets (coditect-fleet-workspace-token, coditect-provider-keys, the TLS
# certificate) would sit in the Terraform state in plain text; docs/terraform.md creates them with
# kubectl. The workspaces' StatefulSets are made by the fleet itself, from the template in its image.

locals {
  fleet_labels = {
    "app.kubernetes.io/name"    = "coditect-fleet"
    "app.kubernetes.io/part-of" = "coditect"
  }
  workspace_labels = {
    "app.kubernetes.io/name"    = "coditect-studio"
    "app.kubernetes.io/part-of" = "coditect"
  }
  base_url = "https://${var.host}${var.base_path}"
}

resource "kubernetes_namespace_v1" "this" {
  metadata {
    name   = var.namespace
    labels = { "app.kubernetes.io/part-of" = "coditect" }
  }

  lifecycle {
    # Deleting the namespace deletes every workspace's StatefulSet and volume with it.
    prevent_destroy = true
  }
}

# The workspace pods' identity (docker/k8s/serviceaccount.yaml). The fleet makes workspaces from a
# template naming it but may not create service accounts itself (docker/k8s/fleet/rbac.yaml), so it
# must exist before the first provision.
resource "kubernetes_service_account_v1" "workspace" {
  metadata {
    name      = var.workspace_ksa_name
    namespace = kubernetes_namespace_v1.this.metadata[0].name
    labels    = local.workspace_labels
    annotations = {
      "iam.gke.io/gcp-service-account" = var.workspace_gsa_email
    }
  }
}

resource "kubernetes_service_account_v1" "fleet" {
  metadata {
    name      = var.fleet_ksa_name
    namespace = kubernetes_namespace_v1.this.metadata[0].name
    labels    = local.fleet_labels
    annotations = {
      "iam.gke.io/gcp-service-account" = var.fleet_gsa_email
    }
  }
}

# Only what the fleet does, in its own namespace (docker/k8s/fleet/rbac.yaml): no Secrets, no exec,
# nothing cluster-wide.
resource "kubernetes_role_v1" "fleet" {
  metadata {
    name      = "coditect-fleet"
    namespace = kubernetes_namespace_v1.this.metadata[0].name
    labels    = local.fleet_labels
  }

  rule {
    api_groups = ["apps"]
    resources  = ["statefulsets"]
    verbs      = ["get", "list", "watch", "create", "patch", "delete"]
  }
  rule {
    api_groups = [""]
    resources  = ["services"]
    verbs      = ["create", "delete"]
  }
  rule {
    api_groups = [""]
    resources  = ["persistentvolumeclaims"]
    verbs      = ["delete"]
  }
  rule {
    api_groups = [""]
    resources  = ["pods"]
    verbs      = ["get", "list", "watch"]
  }
}

resource "kubernetes_role_binding_v1" "fleet" {
  metadata {
    name      = "coditect-fleet"
    namespace = kubernetes_namespace_v1.this.metadata[0].name
    labels    = local.fleet_labels
  }

  role_ref {
    api_group = "rbac.authorization.k8s.io"
    kind      = "Role"
    name      = kubernetes_role_v1.fleet.metadata[0].name
  }

  subject {
    kind      = "ServiceAccount"
    name      = kubernetes_service_account_v1.fleet.metadata[0].name
    namespace = kubernetes_namespace_v1.this.metadata[0].name
  }
}

resource "kubernetes_deployment_v1" "fleet" {
  metadata {
    name      = "coditect-fleet"
    namespace = kubernetes_namespace_v1.this.metadata[0].name
    labels    = local.fleet_labels
  }

  # The images are pushed after the registry exists (docs/terraform.md), so the first apply must not
  # wait for a rollout that cannot finish yet; `kubectl rollout status` watches it instead.
  wait_for_rollout = false

  spec {
    # One keeper of the warm pool and the auto-sleep sweep; Recreate: never two at once.
    replicas = 1

    strategy {
      type = "Recreate"
    }

    selector {
      match_labels = {
        "app.kubernetes.io/name" = "coditect-fleet"
      }
    }

    template {
      metadata {
        labels = local.fleet_labels
      }

      spec {
        service_account_name             = kubernetes_service_account_v1.fleet.metadata[0].name
        termination_grace_period_seconds = 30

        security_context {
          run_as_non_root = true
          run_as_user     = 1000
          run_as_group    = 1000
          seccomp_profile {
            type = "RuntimeDefault"
          }
        }

        container {
          name              = "fleet"
          image             = var.fleet_image
          image_pull_policy = "IfNotPresent"

          port {
            name           = "http"
            container_port = 8090
            protocol       = "TCP"
          }

          env {
            name  = "FLEET_PORT"
            value = "8090"
          }
          env {
            name = "FLEET_NAMESPACE"
            value_from {
              field_ref {
                field_path = "metadata.namespace"
              }
            }
          }
          env {
            name  = "FLEET_BASE_URL"
            value = local.base_url
          }
          env {
            name  = "FLEET_BUCKET"
            value = var.bucket_name
          }
          env {
            name  = "FLEET_BUCKET_URL"
            value = "gs://${var.bucket_name}"
          }
          env {
            name  = "FLEET_IMAGE"
            value = var.studio_image
          }
          env {
            name  = "FLEET_IDLE_MINUTES"
            value = var.idle_minutes
          }
          env {
            name  = "FLEET_WARM_POOL"
            value = var.warm_pool
          }
          # CODITECT v1 behind the gateway while its users move to v2 (docs/migration-runbook.md); an
          # empty v1_url turns the front door off.
          env {
            name  = "FLEET_V1_URL"
            value = var.v1_url
          }
          env {
            name  = "FLEET_V1_PATH"
            value = var.v1_path
          }
          env {
            name  = "FLEET_WORKSPACE_TOKEN_FILE"
            value = "/var/run/secrets/coditect-fleet/workspace-token"
          }
          env {
            name  = "STUDIO_AUTH_JWKS_URL"
            value = var.auth_jwks_url
          }
          env {
            name  = "STUDIO_AUTH_AUDIENCE"
            value = var.auth_audience
          }
          # Prometheus's scrape token: without the Secret only admins read /metrics.
          env {
            name = "STUDIO_METRICS_TOKEN"
            value_from {
              secret_key_ref {
                name     = "coditect-metrics-token"
                key      = "token"
                optional = true
              }
            }
          }

          resources {
            requests = {
              cpu    = "250m"
              memory = "512Mi"
            }
            limits = {
              memory = "1Gi"
            }
          }

          readiness_probe {
            http_get {
              path = "/healthz"
              port = "http"
            }
            period_seconds = 10
          }

          liveness_probe {
            http_get {
              path = "/healthz"
              port = "http"
            }
            period_seconds    = 20
            failure_threshold = 3
          }

          security_context {
            allow_privilege_escalation = false
            read_only_root_filesystem  = true
            capabilities {
              drop = ["ALL"]
            }
          }

          volume_mount {
            name       = "workspace-token"
            mount_path = "/var/run/secrets/coditect-fleet"
            read_only  = true
          }
        }

        volume {
          name = "workspace-token"
          secret {
            secret_name  = "coditect-fleet-workspace-token"
            optional     = true
            default_mode = "0440"
          }
        }
      }
    }
  }
}

resource "kubernetes_service_v1" "fleet" {
  metadata {
    name      = "coditect-fleet"
    namespace = kubernetes_namespace_v1.this.metadata[0].name
    labels    = local.fleet_labels
  }

  spec {
    type = "ClusterIP"
    selector = {
      "app.kubernetes.io/name" = "coditect-fleet"
    }
    port {
      name        = "http"
      port        = 80
      target_port = "http"
      protocol    = "TCP"
    }
  }
}

# <host>/theia/<id>/ to the router, /workspaces to the API, the v1 path to the v1 gateway. The long
# timeouts keep an idle IDE's websocket open and cover a page held while its workspace wakes.
resource "kubernetes_ingress_v1" "fleet" {
  metadata {
    name      = "coditect-fleet"
    namespace = kubernetes_namespace_v1.this.metadata[0].name
    labels    = local.fleet_labels
    annotations = {
      "nginx.ingress.kubernetes.io/proxy-read-timeout" = "3600"
      "nginx.ingress.kubernetes.io/proxy-send-timeout" = "3600"
      "nginx.ingress.kubernetes.io/proxy-http-version" = "1.1"
      "nginx.ingress.kubernetes.io/proxy-body-size"    = "2g"
      "nginx.ingress.kubernetes.io/proxy-buffering"    = "off"
    }
  }

  # Its address comes from the ingress-nginx controller, which may be installed after this apply
  # (docs/terraform.md); Terraform must not wait for it.
  wait_for_load_balancer = false

  spec {
    ingress_class_name = var.ingress_class_name

    tls {
      hosts       = [var.host]
      secret_name = var.tls_secret_name
    }

    rule {
      host = var.host
      http {
        dynamic "path" {
          for_each = var.v1_url == "" ? [var.base_path, "/workspaces"] : [var.base_path, "/workspaces", var.v1_path]
          content {
            path      = path.value
            path_type = "Prefix"
            backend {
              service {
                name = kubernetes_service_v1.fleet.metadata[0].name
                port {
                  name = "http"
                }
              }
            }
          }
        }
      }
    }
  }
}

# A workspace's studio is reached through the fleet's router only, which lets in its owner and admins
# alone. Egress stays open: agents call their vendors' APIs.
resource "kubernetes_network_policy_v1" "workspaces" {
  metadata {
    name      = "coditect-workspaces"
    namespace = kubernetes_namespace_v1.this.metadata[0].name
    labels    = local.fleet_labels
  }

  spec {
    pod_selector {
      match_labels = {
        "app.kubernetes.io/name" = "coditect-workspace"
      }
    }
    policy_types = ["Ingress"]

    ingress {
      from {
        pod_selector {
          match_labels = {
            "app.kubernetes.io/name" = "coditect-fleet"
          }
        }
      }
      ports {
        port     = "8080"
        protocol = "TCP"
      }
    }
  }
}
