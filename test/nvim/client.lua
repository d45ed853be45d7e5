-- A headless Neovim session with Neovim's own LSP client (0.7+): attaches `pc-advisor lsp --stdio` to the
-- current buffer, waits for the diagnostics, asks for a hover on the first one and writes what it saw as
-- JSON to $PC_NVIM_OUT, then quits. Driven by test/nvim/neovim.test.ts.
local out = os.getenv('PC_NVIM_OUT')
local cli = os.getenv('PC_NVIM_CLI')

local function finish(result)
  local f = assert(io.open(out, 'w'))
  f:write(vim.fn.json_encode(result))
  f:close()
  vim.cmd('qall!')
end

local client_id = vim.lsp.start_client({
  name = 'pc-advisor',
  cmd = { 'node', cli, 'lsp', '--stdio' },
  root_dir = vim.fn.getcwd(),
})
if not client_id then
  finish({ error = 'the server did not start' })
  return
end
vim.lsp.buf_attach_client(0, client_id)

local bufnr = vim.api.nvim_get_current_buf()
local deadline = vim.loop.now() + 20000
local function poll()
  local diags = vim.diagnostic.get(bufnr)
  if #diags == 0 then
    if vim.loop.now() > deadline then
      finish({ error = 'no diagnostics within 20 s', filetype = vim.bo.filetype })
    else
      vim.defer_fn(poll, 100)
    end
    return
  end
  local d = diags[1]
  local client = vim.lsp.get_client_by_id(client_id)
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    position = { line = d.lnum, character = d.col },
  }
  client.request('textDocument/hover', params, function(err, result)
    local items = {}
    for _, x in ipairs(diags) do
      table.insert(items, { line = x.lnum, col = x.col, message = x.message, source = x.source, code = x.code })
    end
    local hover = nil
    if result and result.contents then
      hover = type(result.contents) == 'table' and result.contents.value or result.contents
    end
    finish({ filetype = vim.bo.filetype, diagnostics = items, hover = hover, hover_error = err and err.message or nil })
  end, bufnr)
end
vim.defer_fn(poll, 100)
